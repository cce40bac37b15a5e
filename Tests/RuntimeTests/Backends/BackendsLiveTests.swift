import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// A host on the shared engines `[server.backends]` names: the same worker code, its SQL in a schema of
/// its own on PostgreSQL and its pub/sub across hosts on Redis; an engine away at start-up stops the host
/// naming it, one lost later is a 503 until it is back.
@Suite struct BackendsLiveTests {
    func curl(_ arguments: [String]) async throws -> Subprocess.Output {
        try await Subprocess.curl(arguments)
    }

    @Test
    func aWorkersSQLLivesInASchemaOfItsOwnOnPostgreSQL() async throws {
        let url = try await TestPostgres.shared.database()
        let live = try await LiveHost.start(backends: HostConfig.Backends(postgres: url))
        defer { Task { await live.stop() } }
        #expect(try await curl(["-d", "first", live.base + "/notes"]).stdout == #"{"id":1}"#)
        #expect(try await curl([live.base + "/notes"]).stdout == #"[{"id":1,"text":"first"}]"#)
        let direct = try PostgresDatabase(url: url, connections: 1)
        #expect(try await direct.prepare("SELECT text FROM probe_db.notes").all().map { $0.text("text") } == ["first"])
        #expect(!FileManager.default.fileExists(atPath: live.dataDirectory + "/probe/d1"), "no SQLite file beside it")
        let health = try await curl([live.base + "/__ozzi/health"]).stdout
        #expect(health.contains(#""backends":[{"name":"postgres","ok":true"#), "\(health)")
        #expect(health.contains(#""status":"ok""#))
    }

    @Test
    func aLostPostgreSQLConnectionIsA503AndTheNextRequestGetsANewOne() async throws {
        let url = try await TestPostgres.shared.database()
        let live = try await LiveHost.start(backends: HostConfig.Backends(postgres: url))
        defer { Task { await live.stop() } }
        _ = try await curl(["-d", "kept", live.base + "/notes"])
        // As a server restart or failover does to every connection it had.
        let admin = try PostgresDatabase(url: url, connections: 1)
        try await admin.prepare("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """).run()
        let lost = try await curl(["-i", live.base + "/notes"]).stdout
        #expect(lost.hasPrefix("HTTP/1.1 503"), "\(lost)")
        #expect(lost.lowercased().contains("retry-after: 1"))
        #expect(lost.contains(#""code":"backend_unavailable""#))
        #expect(try await Poll.until { try await curl([live.base + "/notes"]).stdout == #"[{"id":1,"text":"kept"}]"# })
    }

    @Test func anUnreachablePostgreSQLStopsStartUpNamingItAndTheBinding() async throws {
        let url = "postgresql://ozzi:hunter2@127.0.0.1:\(try freeLoopbackPort())/app"
        let error = await #expect(throws: ConfigError.self) { try await LiveHost.start(backends: HostConfig.Backends(postgres: url)) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("key 'server.backends.postgres'"), "\(text)")
        #expect(text.contains("postgresql://ozzi:***@127.0.0.1"), "\(text)")
        #expect(text.contains("the SQL binding 'DB' of worker 'probe'"), "\(text)")
        #expect(!text.contains("hunter2"))
    }

    @Test func anUnreachableRedisStopsStartUpNamingItAndTheBinding() async throws {
        let url = "redis://:hunter2@127.0.0.1:\(try freeLoopbackPort())"
        let error = await #expect(throws: ConfigError.self) { try await LiveHost.start(backends: HostConfig.Backends(redis: url)) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("key 'server.backends.redis'"), "\(text)")
        #expect(text.contains("redis://:***@127.0.0.1"), "\(text)")
        #expect(text.contains("the pub/sub binding 'LIVE' of worker 'probe'"), "\(text)")
        #expect(!text.contains("hunter2"))
    }

    @Test func pubsubCrossesHostsOnRedisAndALostRedisIsA503UntilItIsBack() async throws {
        let redis = try await TestRedis.start()
        let backends = HostConfig.Backends(redis: "\(redis.url)")
        let a = try await LiveHost.start(backends: backends)
        let b = try await LiveHost.start(backends: backends)
        defer { Task { await a.stop(); await b.stop(); await redis.remove() } }
        async let events = curl(["-N", b.base + "/events/contacts?count=1"])
        #expect(try await Poll.until { try await curl([b.base + "/subscribers/contacts"]).stdout == "1" })
        // Redis counts the hosts subscribed: B's one subscription carries all of B's subscribers.
        #expect(try await curl(["-d", #"{"id":1}"#, a.base + "/publish/contacts"]).stdout == #"{"delivered":1}"#)
        #expect(try await events.stdout == "data: {\"id\":1}\n\n", "published on A, seen on B")
        let healthy = try await curl([a.base + "/__ozzi/health"]).stdout
        #expect(healthy.contains(#""name":"redis""#) && healthy.contains(#""ok":true"#), "\(healthy)")

        await redis.stop()
        #expect(try await Poll.until { try await curl(["-i", "-d", "{}", a.base + "/publish/contacts"]).stdout.hasPrefix("HTTP/1.1 503") })
        let health = try await curl(["-i", a.base + "/__ozzi/health"]).stdout
        #expect(health.hasPrefix("HTTP/1.1 503"), "a host that cannot reach its engines is taken out by a load balancer")
        #expect(health.contains(#""status":"unavailable""#))
        try await redis.restart()
        #expect(try await Poll.until { try await curl(["-d", "{}", a.base + "/publish/contacts"]).stdout == #"{"delivered":0}"# })
    }

    @Test func kvIsSharedByHostsOnRedis() async throws {
        let redis = try await TestRedis.shared()
        let backends = HostConfig.Backends(redis: "\(redis.url)")
        let a = try await LiveHost.start(backends: backends)
        let b = try await LiveHost.start(backends: backends)
        defer { Task { await a.stop(); await b.stop() } }
        let key = TestRedis.unique("greeting")
        _ = try await curl(["-X", "PUT", "-d", "from a", a.base + "/kv/\(key)"])
        #expect(try await curl([b.base + "/kv/\(key)"]).stdout == "from a", "written on A, read on B")
    }
}

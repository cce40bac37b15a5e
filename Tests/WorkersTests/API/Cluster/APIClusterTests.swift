import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Two api hosts on one PostgreSQL and one Redis, as behind a load balancer: what one host changes, the
/// other sees at once.
@Suite struct APIClusterTests {
    /// Backends for one cluster of test hosts: a fresh database, the shared test Redis.
    static func cluster() async throws -> HostConfig.Backends {
        HostConfig.Backends(postgres: try await TestPostgres.shared.database(), redis: "\(try await TestRedis.shared().url)",
                            namespace: TestRedis.unique("cluster"))
    }

    /// One data folder for the whole cluster, as its hosts would share a volume: the job that sends a
    /// sign-up's verification email runs on whichever host claims it first, and keeps the email there.
    static func sharedFolder() -> String { NSTemporaryDirectory() + "ozzi-cluster-\(UUID().uuidString)" }

    @Test func aKeyDisabledOnOneHostIsRefusedOnTheOtherAtOnce() async throws {
        let backends = try await Self.cluster()
        // The clock never moves: without word from host A, host B would trust its cached key for ever.
        let clock = ManualClock(milliseconds: 1_800_000_000_000)
        let folder = Self.sharedFolder()
        let a = try await APIHost.start(clock: clock, dataDirectory: folder, backends: backends)
        let b = try await APIHost.start(clock: clock, dataDirectory: folder, backends: backends)
        defer { Task { await a.stop(); await b.stop() } }
        let owner = try #require(try await a.signUp("cluster-keys@example.com").string("access_token"))
        let created = try await a.call("POST", "/api/v1/api-keys", json: ["name": "server"], token: owner)
        let key = try #require(created.string("key"))
        let id = try #require(created.string("id"))
        #expect(try await b.call("GET", "/api/v1/me", token: key).status == 200, "host B verified the key and keeps it")

        #expect(try await a.call("PATCH", "/api/v1/api-keys/\(id)", json: ["active": false], token: owner).status == 200)
        #expect(try await Poll.until { try await b.call("GET", "/api/v1/me", token: key).status == 401 },
                "host B forgot the key when host A disabled it")
    }

    @Test func eventsWrittenOnOneHostStreamFromTheOther() async throws {
        let backends = try await Self.cluster()
        let folder = Self.sharedFolder()
        let a = try await APIHost.start(.live, dataDirectory: folder, backends: backends)
        let b = try await APIHost.start(.live, dataDirectory: folder, backends: backends)
        defer { Task { await a.stop(); await b.stop() } }
        let owner = try #require(try await a.signUp("cluster-stream@example.com").string("access_token"))
        let stream = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/sse_client.py", b.base + "/api/v1/stream", owner])
        defer { stream.stop() }
        #expect(try await stream.waitFor(#"OPEN (\d+)"#) == "200")
        for name in ["First", "Second"] {
            let group = try await a.call("POST", "/api/v1/groups", json: ["name": .string(name)], token: owner)
            let id = try #require(group.string("id"))
            _ = try await stream.waitFor(#"EVENT \S+ group.created (\{.*"\#(id)".*\})"#)
        }
    }

    /// A host that stopped while handing events on (published, the cursor not yet moved past them) leaves
    /// them to the next: it hands them on again, and a stream shows each event once.
    @Test func eventsHandedOnAgainStreamOnce() async throws {
        let backends = try await Self.cluster()
        let folder = Self.sharedFolder()
        let a = try await APIHost.start(.live, dataDirectory: folder, backends: backends)
        let b = try await APIHost.start(.live, dataDirectory: folder, backends: backends)
        defer { Task { await a.stop(); await b.stop() } }
        let owner = try #require(try await a.signUp("cluster-again@example.com").string("access_token"))
        let stream = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/sse_client.py", b.base + "/api/v1/stream", owner])
        defer { stream.stop() }
        #expect(try await stream.waitFor(#"OPEN (\d+)"#) == "200")
        let first = try #require(try await a.call("POST", "/api/v1/groups", json: ["name": "First"], token: owner).string("id"))
        _ = try await stream.waitFor(#"EVENT \S+ group.created (\{.*"\#(first)".*\})"#)
        // As host A would have left it had it stopped before moving the cursor: the event is not handed on yet.
        let database = try PostgresDatabase(url: try #require(backends.postgres), schema: "api")
        #expect(try await Poll.until {
            try await database.prepare("SELECT seq FROM event_cursors WHERE name = 'webhooks'").first()?.integer("seq")
                == database.prepare("SELECT max(seq) AS seq FROM workspace_events").first()?.integer("seq")
        }, "A moved the cursor past its event")
        try await database.prepare("UPDATE event_cursors SET seq = seq - 1, flusher = NULL WHERE name = 'webhooks'").run()

        // Host B's next change hands on A's event again, then its own.
        let second = try #require(try await b.call("POST", "/api/v1/groups", json: ["name": "Second"], token: owner).string("id"))
        _ = try await stream.waitFor(#"EVENT \S+ group.created (\{.*"\#(second)".*\})"#)
        let events = stream.log.split(separator: "\n").filter { $0.hasPrefix("EVENT ") }
        #expect(events.filter { $0.contains(first) }.count == 1, "\(events)")
        #expect(Set(events.map { $0.split(separator: " ")[1] }).count == events.count, "\(events)")
    }
}

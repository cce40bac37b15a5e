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
}

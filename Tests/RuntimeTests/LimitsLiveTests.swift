import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Timeouts, connection limits and back-pressure against a live host.
@Suite struct LimitsLiveTests {
    @Test func slowlorisIsCutOffWith408() async throws {
        let live = try await LiveHost.start(limits: "header_timeout_ms = 1000")
        let result = try await Subprocess.python("slowloris.py", [String(live.port)])
        await live.stop()
        #expect(result["status"] as? Int == 408)
        #expect(result["closed"] as? Bool == true)
        let seconds = result["seconds"] as? Double ?? 99
        #expect(seconds >= 0.9 && seconds < 3.5, "cut off after \(seconds)s")
        #expect(result["other_status"] as? Int == 200)
        #expect((result["other_seconds"] as? Double ?? 99) < 1, "another client was served meanwhile")
    }

    @Test func idleKeepAliveConnectionsClose() async throws {
        let live = try await LiveHost.start(limits: "idle_timeout_ms = 300")
        let result = try await Subprocess.python("connections.py", ["idle", String(live.port)])
        await live.stop()
        #expect(result["answered"] as? Bool == true)
        #expect(result["closed"] as? Bool == true)
        let idle = result["idle_seconds"] as? Double ?? 99
        #expect(idle >= 0.25 && idle < 2.5, "closed after \(idle)s idle")
    }

    @Test func connectionsBeyondTheLimitGet503() async throws {
        let live = try await LiveHost.start(limits: "max_connections = 3")
        let result = try await Subprocess.python("connections.py", ["max", String(live.port)])
        await live.stop()
        #expect(result["over_limit_status"] as? Int == 503)
        #expect(result["after_release_status"] as? Int == 200)
    }

    @Test func slowReaderSuspendsTheStreamingWriter() async throws {
        let live = try await LiveHost.start(loops: 2)
        let result = try await Subprocess.python("connections.py", ["backpressure", String(live.port)])
        await live.stop()
        let produced = result["produced_while_stalled"] as? Int ?? Int.max
        let total = 64 * 1024 * 1024
        // Socket buffers hold a few MiB at most; without back-pressure the writer would finish all 64 MiB.
        #expect(produced < 16 * 1024 * 1024, "writer produced \(produced) bytes while the client read nothing")
        #expect((result["received"] as? Int ?? 0) > total, "the whole body arrived once the client read")
    }
}

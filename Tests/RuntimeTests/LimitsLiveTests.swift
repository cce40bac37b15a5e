import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Timeouts, connection limits and back-pressure against a live host.
@Suite struct LimitsLiveTests {
    @Test func slowlorisIsCutOffWith408() async throws {
        let live = try await LiveHost.start(limits: "header_timeout_ms = 1000")
        let result = try await Subprocess.python("slowloris.py", [String(live.port), "cut"])
        await live.stop()
        #expect(result["status"] as? Int == 408)
        #expect(result["closed"] as? Bool == true)
        // Timed from before the first byte: the header timer cannot have run out sooner (the loop clock
        // counts whole milliseconds). The trickle takes 10 s or more: cut off while it went on.
        let seconds = result["seconds"] as? Double ?? 0
        #expect(seconds >= 0.99, "cut off after \(seconds)s")
        #expect(result["trickle_finished"] as? Bool == false, "cut off while the client still trickled its head")
    }

    @Test func otherClientsAreServedWhileASlowlorisTrickles() async throws {
        // A header timeout far beyond the test: the slowloris connection is surely still open when the
        // other client is answered, however slow the machine.
        let live = try await LiveHost.start(limits: "header_timeout_ms = 120000")
        let result = try await Subprocess.python("slowloris.py", [String(live.port), "meanwhile"])
        await live.stop()
        #expect(result["other_status"] as? Int == 200)
        #expect(result["slow_still_open"] as? Bool == true, "answered while the slowloris connection was open, mid-head")
    }

    @Test func idleKeepAliveConnectionsClose() async throws {
        let live = try await LiveHost.start(limits: "idle_timeout_ms = 300")
        let result = try await Subprocess.python("connections.py", ["idle", String(live.port)])
        await live.stop()
        #expect(result["answered"] as? Bool == true)
        #expect(result["closed"] as? Bool == true, "closed by the host while the client waited")
        // Timed from before the request: the idle timer starts after the answer, so not sooner than this.
        let seconds = result["seconds"] as? Double ?? 0
        #expect(seconds >= 0.29, "closed \(seconds)s after the request")
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
        let result = try await Subprocess.python("connections.py", ["backpressure", String(live.port), UUID().uuidString])
        await live.stop()
        let produced = result["produced_while_stalled"] as? Int ?? Int.max
        let total = 64 * 1024 * 1024
        // Watched until the writer stopped making progress. Socket buffers hold a few MiB at most; without
        // back-pressure the writer would finish all 64 MiB.
        #expect(produced < 16 * 1024 * 1024, "writer produced \(produced) bytes while the client read nothing")
        #expect((result["received"] as? Int ?? 0) > total, "the whole body arrived once the client read")
    }
}

/// A client that reads nothing cannot hold a connection (and its share of the output budget) for ever:
/// with no write completing for `idle_timeout_ms`, the host closes it.
@Suite struct StalledReaderLiveTests {
    @Test(arguments: ["stream", "pipelined"])
    func aClientThatReadsNothingIsDisconnected(mode: String) async throws {
        let live = try await LiveHost.start(limits: "idle_timeout_ms = 500\nmax_body_bytes = 2097152")
        defer { Task { await live.stop() } }
        let client = try ChildProcess("/usr/bin/python3", [Subprocess.clientPath("stalled_reader.py"), String(live.port), mode])
        defer { client.stop() }
        let sent = Int(try await client.waitFor(#"SENT (\d+)"#)) ?? 0
        #expect(sent >= (mode == "stream" ? 50 : 1 << 20), "the requests went out (\(sent) bytes)")
        let closed = try await Poll.until { live.host.openConnections == 0 }
        #expect(closed, "the host closed the connection of a client that read nothing")
        #expect(live.host.server.output.value == 0, "and released its queued output")
    }
}

import OzziTestSupport
import Foundation
import Testing
@testable import OzziRuntime

@Suite struct ShutdownLiveTests {
    /// Waits for the client's connection (a fixed sleep is not enough on a loaded machine), then a moment
    /// for its request to reach the handler.
    static func waitUntilConnected(_ live: LiveHost) async throws {
        for _ in 0..<500 where live.host.openConnections == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
    }

    @Test func inFlightRequestsFinishAndNewConnectionsAreRefused() async throws {
        let live = try await LiveHost.start()
        async let inFlight = Subprocess.run("/usr/bin/curl", ["-sS", "-i", "--max-time", "10", live.base + "/slow?ms=1500"])
        try await Self.waitUntilConnected(live)
        let started = ContinuousClock.now
        await live.host.shutdown()
        let took = ContinuousClock.now - started
        let answer = try await inFlight
        #expect(answer.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(answer.stdout.hasSuffix("slow 1500"))
        #expect(answer.stdout.lowercased().contains("connection: close"), "a draining connection says it closes")
        #expect(took < .seconds(3))
        let refused = try await Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "2", live.base + "/hello"])
        #expect(refused.status != 0, "nothing listens after shutdown")
    }

    @Test func deadlineCutsOffStragglers() async throws {
        let live = try await LiveHost.start(limits: "shutdown_deadline_ms = 300")
        async let straggler = Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "10", live.base + "/slow?ms=5000"])
        try await Self.waitUntilConnected(live)
        let started = ContinuousClock.now
        await live.host.shutdown()
        let took = ContinuousClock.now - started
        let answer = try await straggler
        #expect(took < .seconds(2), "shutdown took \(took)")
        #expect(answer.status != 0, "the straggler's connection was closed")
    }
}

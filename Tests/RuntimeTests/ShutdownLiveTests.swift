import OzziTestSupport
import Foundation
import Testing
@testable import OzziRuntime

@Suite struct ShutdownLiveTests {
    /// Waits until the request behind `gate` is in its handler (not a fixed sleep: a loaded machine is slow).
    static func waitUntilInHandler(_ gate: String) async throws -> Bool {
        try await Poll.until { ProbeWorker.gates.waiting(gate) == 1 }
    }

    /// Waits until the host refuses new connections: shutdown has begun.
    static func waitUntilRefusing(_ live: LiveHost) async throws -> Bool {
        try await Poll.until(interval: .milliseconds(20)) {
            try await Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "5", live.base + "/hello"]).status == 7
        }
    }

    @Test func inFlightRequestsFinishAndNewConnectionsAreRefused() async throws {
        // The deadline (ten minutes) is far beyond anything this test waits for: shutdown returning well
        // inside it after the gate opened proves it waited for the request, not for the deadline. Timed from
        // the gate's opening, so a slow machine's polling before it does not count.
        let live = try await LiveHost.start(limits: "shutdown_deadline_ms = 600000")
        let gate = "in-flight-\(UUID().uuidString)"
        async let inFlight = Subprocess.run("/usr/bin/curl", ["-sS", "-i", "--max-time", "600", live.base + "/gate?name=\(gate)"])
        #expect(try await Self.waitUntilInHandler(gate))
        let returned = Flag()
        let shutdown = Task {
            await live.host.shutdown()
            returned.set()
            return ContinuousClock.now
        }
        #expect(try await Self.waitUntilRefusing(live), "shutdown stopped accepting")
        let returnedBeforeOpen = returned.isSet
        let opened = ContinuousClock.now
        ProbeWorker.gates.open(gate)
        let took = await shutdown.value - opened
        let answer = try await inFlight
        #expect(!returnedBeforeOpen, "shutdown waited for the in-flight request")
        #expect(answer.stdout.hasPrefix("HTTP/1.1 200"), "\(answer.stdout)\(answer.stderr)")
        #expect(answer.stdout.hasSuffix("opened \(gate)"))
        #expect(answer.stdout.lowercased().contains("connection: close"), "a draining connection says it closes")
        #expect(took < .seconds(300), "shutdown returned once the request finished, not at the 600 s deadline (took \(took) after the gate opened)")
        let refused = try await Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "5", live.base + "/hello"])
        #expect(refused.status != 0, "nothing listens after shutdown")
    }

    @Test func deadlineCutsOffStragglers() async throws {
        let live = try await LiveHost.start(limits: "shutdown_deadline_ms = 300")
        let gate = "straggler-\(UUID().uuidString)"
        async let straggler = Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "90", live.base + "/gate?name=\(gate)"])
        #expect(try await Self.waitUntilInHandler(gate))
        await live.host.shutdown()
        // The gate was never opened: the request could not have finished, so only the deadline ended shutdown.
        let stillWaiting = ProbeWorker.gates.waiting(gate)
        let answer = try await straggler
        ProbeWorker.gates.open(gate)
        #expect(stillWaiting == 1, "the straggler was still in its handler when shutdown returned")
        #expect(answer.status != 0, "the straggler's connection was closed: \(answer.stdout)")
        #expect(answer.status != 28, "closed by the host, not by curl's own time limit")
    }

    @Test func workerServicesStopAfterInFlightRequestsWhileTheirBindingsStillWork() async throws {
        let live = try await LiveHost.start(limits: "shutdown_deadline_ms = 120000")
        let probe = live.dataDirectory + "/probe"
        #expect(try await Poll.until { ProbeService.events(probe) == ["started"] }, "the host runs the worker's service")
        let gate = "service-\(UUID().uuidString)"
        async let inFlight = Subprocess.run("/usr/bin/curl", ["-sS", "--max-time", "90", live.base + "/gate?name=\(gate)"])
        #expect(try await Self.waitUntilInHandler(gate))
        let shutdown = Task { await live.host.shutdown() }
        #expect(try await Self.waitUntilRefusing(live), "shutdown stopped accepting")
        let whileDraining = ProbeService.events(probe)
        ProbeWorker.gates.open(gate)
        await shutdown.value
        #expect(try await inFlight.stdout == "opened \(gate)")
        #expect(whileDraining == ["started"], "the service is not asked to stop while a request is in flight")
        #expect(ProbeService.events(probe) == ["started", "asked to stop", "stopped; KV answered"])
        #expect(ProbeService.events(live.dataDirectory + "/backend") == ["started", "asked to stop", "stopped"],
                "every worker's services are stopped")
    }
}

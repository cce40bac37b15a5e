import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Each built-in worker, mounted as `wrangler-like.toml` mounts it, answers its status route with its own
/// name — through its harness, in-process and live alike.
@Suite struct WorkerStatusTests {
    /// Each worker's status route as the host serves it (the four mounted workers see `/status`).
    static let statusPaths = [
        "api": "/api/v1/status", "widget": "/widget/status", "form-embed": "/forms/status",
        "voice-agent": "/voice/status", "video-render": "/video/status",
    ]

    @Test(arguments: TestMode.allCases, statusPaths.keys.sorted())
    func everyWorkerNamesItself(mode: TestMode, worker: String) async throws {
        let host = try await WorkerTestHost.start(worker, mode)
        let answer = try await host.call("GET", try #require(Self.statusPaths[worker]))
        await host.stop()
        #expect(answer.status == 200, "\(answer.body)")
        #expect(try JSONCoding.decoder().decode(WorkerStatus.self, from: Data(answer.body.utf8)) == WorkerStatus(worker: worker, module: worker))
    }

    @Test func mountedWorkersAnswerOnTheirOwnHostsToo() async throws {
        let host = try await WorkerTestHost.start("widget")
        defer { Task { await host.stop() } }
        for (name, worker) in [("widget.localhost", "widget"), ("forms.localhost", "form-embed")] {
            let answer = try await host.call("GET", "/status", headers: ["Host": name])
            #expect(answer.string("worker") == worker, "\(name): \(answer.body)")
        }
        #expect(try await host.call("GET", "/status").status == 404, "no worker is mounted at the root")
    }
}

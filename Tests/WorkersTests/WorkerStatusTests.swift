import APIWorker
import Foundation
import FormEmbedWorker
import Logging
import OzziRuntime
import Testing
import VideoRenderWorker
import VoiceAgentWorker
import WidgetWorker

/// Each built-in worker answers its status route with its own name.
@Suite struct WorkerStatusTests {
    func status(_ worker: some Worker, path: String) async throws -> WorkerStatus {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let context = RequestContext(requestID: "t", worker: "t", loop: group.loops[0], logger: Logger(label: "t"))
        let response = try await worker.fetch(Request(method: "GET", target: path), context: context)
        #expect(response.status == 200)
        return try JSONCoding.decoder().decode(WorkerStatus.self, from: Data(response.bodyBytes))
    }

    func env(_ name: String) -> WorkerEnv {
        WorkerEnv(name: name, dataDirectory: "/tmp", logger: Logger(label: name))
    }

    /// The api worker's own bindings, on scratch SQLite files.
    func apiEnv() throws -> WorkerEnv {
        let folder = NSTemporaryDirectory() + "api-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var bindings = WorkerBindings()
        bindings.kv["KV"] = try SQLiteKV(path: folder + "/kv.sqlite")
        bindings.databases["DB"] = try SQLiteDatabase(path: folder + "/api.sqlite")
        bindings.buckets["FILES"] = try FileBucket(directory: folder + "/files")
        let queues = try QueueRegistry(directory: folder + "/queues")
        bindings.queues["JOBS"] = try queues.producer("jobs")
        bindings.queues["DELIVERY"] = try queues.producer("delivery")
        bindings.queues["WEBHOOKS"] = try queues.producer("webhooks")
        bindings.pubsub["LIVE"] = PubSub()
        return WorkerEnv(name: "api", dataDirectory: folder, logger: Logger(label: "api"), bindings: bindings)
    }

    @Test func everyWorkerNamesItself() async throws {
        #expect(try await status(APIWorker(env: apiEnv()), path: "/api/v1/status") == WorkerStatus(worker: "api", module: "api"))
        #expect(try await status(WidgetWorker(env: env("widget")), path: "/status") == WorkerStatus(worker: "widget", module: "widget"))
        #expect(try await status(FormEmbedWorker(env: env("forms")), path: "/status") == WorkerStatus(worker: "forms", module: "form-embed"))
        #expect(try await status(VoiceAgentWorker(env: env("voice")), path: "/voice/status") == WorkerStatus(worker: "voice", module: "voice-agent"))
        #expect(try await status(VideoRenderWorker(env: env("video")), path: "/video/status") == WorkerStatus(worker: "video", module: "video-render"))
    }
}

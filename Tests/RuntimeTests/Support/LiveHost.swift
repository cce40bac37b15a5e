import Foundation
import Logging
@testable import OzziRuntime

/// A real host on an ephemeral port, serving the probe worker, for tests that cross a socket.
struct LiveHost {
    let host: WorkerHost
    let port: Int
    let dataDirectory: String

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts a host; `limits` is TOML for `[server.limits]`.
    static func start(loops: Int = 1, limits: String = "") async throws -> LiveHost {
        let directory = NSTemporaryDirectory() + "ozzi-test-\(UUID().uuidString)"
        let text = """
        [server]
        host = "127.0.0.1"
        port = 0
        data_dir = "\(directory)"
        access_log = false

        [server.limits]
        \(limits)

        [[workers]]
        name = "probe"
        module = "probe"
        routes = ["/*"]
        """
        var registry = WorkerRegistry()
        registry.register("probe", ProbeWorker.self)
        let config = try ConfigLoader(file: "test.toml", modules: ["probe"], environment: [:]).parse(text)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let host = try WorkerHost(config: config, registry: registry, loops: loops, logger: logger)
        let port = try await host.start()
        return LiveHost(host: host, port: port, dataDirectory: directory)
    }

    func stop() async {
        await host.shutdown()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

import Foundation
import Logging
import OzziTestSupport
@testable import OzziRuntime

/// A real host on an ephemeral port, serving the probe worker (with every kind of binding) and a
/// `backend` probe it reaches through a service binding, for tests that cross a socket.
struct LiveHost {
    let host: WorkerHost
    let port: Int
    let dataDirectory: String

    var base: String { "http://127.0.0.1:\(port)" }

    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/migrations").path

    /// Starts a host; `server` is more TOML for `[server]`, `limits` TOML for `[server.limits]`, `extra` more TOML appended to the file;
    /// `clock` replaces the host's (a `ManualClock` moves queue timers when the test advances it).
    static func start(loops: Int = 1, server: String = "", limits: String = "", extra: String = "", dev: Bool = false,
                      clock: any WallClock = SystemClock(), backends: HostConfig.Backends = HostConfig.Backends()) async throws -> LiveHost {
        let directory = NSTemporaryDirectory() + "ozzi-test-\(UUID().uuidString)"
        let text = """
        [server]
        host = "127.0.0.1"
        port = 0
        data_dir = "\(directory)"
        access_log = false
        \(server)

        [server.limits]
        \(limits)

        [server.backends]
        \(backends.postgres.map { "postgres = \"\($0)\"" } ?? "")
        \(backends.redis.map { "redis = \"\($0)\"" } ?? "")

        [[workers]]
        name = "probe"
        module = "probe"
        routes = ["/*"]
        allowed_outbound_hosts = ["http://127.0.0.1:*", "http://pinned.invalid:*"]
        kv_namespaces = [{ binding = "KV" }]
        d1_databases = [{ binding = "DB", migrations_dir = "\(migrations)/probe" }]
        r2_buckets = [{ binding = "FILES" }]
        pubsub = [{ binding = "LIVE" }]
        services = [{ binding = "BACKEND", service = "backend" }]

        [[workers]]
        name = "backend"
        module = "probe"
        routes = [{ pattern = "/backend/*", strip_prefix = true }]

        \(extra)
        """
        let config = try ConfigLoader(file: directory + ".toml", modules: Set(ProbeRegistry.registry.modules), environment: [:]).parse(text)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let host = try WorkerHost(config: config, registry: ProbeRegistry.registry, loops: loops, logger: logger, clock: clock, devRoutes: dev)
        let port = try await host.start()
        return LiveHost(host: host, port: port, dataDirectory: directory)
    }

    func stop() async {
        await host.shutdown()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

import Glibc
import Logging

/// The host process: builds each configured worker with its bindings, serves them on every event loop,
/// and shuts down gracefully.
public final class WorkerHost: Sendable {
    public let config: HostConfig
    public let workers: [String: any Worker]
    let logger: Logger
    let group: EventLoopGroup
    let server: HTTPServer

    /// Builds every worker (a failing worker stops start-up, naming it) and the loops to serve them.
    public init(config: HostConfig, registry: WorkerRegistry, loops: Int, logger: Logger) throws {
        self.config = config
        self.logger = logger
        var workers: [String: any Worker] = [:]
        for worker in config.workers {
            guard let factory = registry.factory(for: worker.module) else {
                throw ConfigError(file: config.file, worker: worker.name, key: "module", message: "unknown module '\(worker.module)'")
            }
            let directory = config.server.dataDirectory + "/" + worker.name
            try WorkerHost.makeDirectory(directory)
            var workerLogger = logger
            workerLogger[metadataKey: "worker"] = "\(worker.name)"
            let env = WorkerEnv(name: worker.name, vars: worker.vars, secrets: worker.secrets, dataDirectory: directory, logger: workerLogger)
            do {
                workers[worker.name] = try factory(env)
            } catch {
                throw ConfigError(file: config.file, worker: worker.name, message: "failed to start: \(error)")
            }
        }
        self.workers = workers
        let count = loops > 0 ? loops : EventLoopGroup.defaultCount
        group = try EventLoopGroup(count: count)
        let connections = ConnectionCounter()
        let dispatcher = HostDispatcher(
            routes: config.routeTable, workers: workers, logger: logger, accessLog: config.server.accessLog,
            health: HealthReport(workers: config.workers.map(\.name), loops: count, connections: connections))
        server = HTTPServer(limits: config.server.limits, handler: dispatcher, logger: logger, connections: connections)
    }

    /// Starts the loops and listens; returns the bound port.
    public func start() async throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        group.start()
        let port = try await server.start(host: config.server.host, port: config.server.port, on: group)
        logger.info("listening", metadata: [
            "address": "\(config.server.host):\(port)", "loops": "\(group.loops.count)",
            "workers": "\(config.workers.map(\.name).joined(separator: ","))",
        ])
        return port
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled() async {
        let signal = await group.loops[0].waitForSignal([SIGTERM, SIGINT])
        logger.info("shutting down", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
        await shutdown()
    }

    /// Stops accepting, finishes in-flight requests within the deadline, closes every handle.
    public func shutdown() async {
        await server.shutdown()
        group.shutdown()
        logger.info("stopped")
    }

    public var openConnections: Int { server.openConnections }

    static func makeDirectory(_ path: String) throws {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw ConfigError(file: path, message: "cannot create data directory \(built): \(String(cString: strerror(errno)))")
            }
        }
    }
}

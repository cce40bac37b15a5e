import Glibc
import Logging

/// The host process: builds each configured worker with its bindings, serves them on every event loop,
/// runs their queue consumers and cron triggers, and shuts down gracefully.
public final class WorkerHost: Sendable {
    public let config: HostConfig
    public let workers: [String: any Worker]
    /// The host-wide pub/sub broker every `pubsub` binding shares.
    public let pubsub = PubSub()
    public let queues: QueueRegistry
    let logger: Logger
    let group: EventLoopGroup
    let server: HTTPServer
    /// What a connection hands each request to; `respond(to:)` hands requests to it without one.
    let dispatcher: HostDispatcher
    let directory: WorkerDirectory
    let scheduler: CronScheduler
    let consumers: [QueueConsumer]
    let housekeeping: Housekeeping
    let accessLog: AccessLogWriter?

    /// Builds every worker (a failing worker stops start-up, naming it) and the loops to serve them.
    /// `devRoutes` adds `/__scheduled?cron=...`, as `ozzi dev` does; `logFormat` is the access log's.
    public init(
        config: HostConfig, registry: WorkerRegistry, loops: Int, logger: Logger,
        clock: any WallClock = SystemClock(), devRoutes: Bool = false, logFormat: LineLogHandler.Format = .json
    ) throws {
        self.config = config
        self.logger = logger
        let count = loops > 0 ? loops : EventLoopGroup.defaultCount
        let group = try EventLoopGroup(count: count)
        self.group = group
        directory = WorkerDirectory(logger: logger)
        let queues = try QueueRegistry(directory: config.server.dataDirectory + "/queues", clock: clock)
        self.queues = queues
        let factory = BindingFactory(config: config, queues: queues, directory: directory, pubsub: pubsub, clock: clock)
        var workers: [String: any Worker] = [:]
        var namespaces: [any KVNamespace] = []
        for worker in config.workers {
            guard let make = registry.factory(for: worker.module) else {
                throw ConfigError(file: config.file, worker: worker.name, key: "module", message: "unknown module '\(worker.module)'")
            }
            let folder = config.server.dataDirectory + "/" + worker.name
            try WorkerHost.makeDirectory(folder)
            let bindings = try factory.bindings(for: worker)
            namespaces += bindings.kv.values
            let env = WorkerEnv(
                name: worker.name, vars: worker.vars, secrets: worker.secrets, dataDirectory: folder,
                logger: logger.with(worker: worker.name), bindings: bindings, clock: clock)
            do {
                workers[worker.name] = try make(env)
            } catch {
                throw ConfigError(file: config.file, worker: worker.name, message: "failed to start: \(error)")
            }
            directory.add(worker.name, workers[worker.name]!)
        }
        self.workers = workers
        housekeeping = Housekeeping(namespaces: namespaces, logger: logger)
        var consumers: [QueueConsumer] = []
        for worker in config.workers {
            for settings in worker.bindings.consumers {
                let consumer = QueueConsumer(
                    settings: settings, store: try queues.store(settings.queue),
                    deadLetter: try settings.deadLetterQueue.map { try queues.store($0) }, worker: workers[worker.name]!,
                    workerName: worker.name, loop: group.loops[consumers.count % count], clock: clock,
                    logger: logger.with(worker: worker.name))
                queues.register(consumer)
                consumers.append(consumer)
            }
        }
        self.consumers = consumers
        scheduler = CronScheduler(
            jobs: config.workers.flatMap { worker in worker.bindings.crons.map { CronScheduler.Job(worker: worker.name, schedule: $0) } },
            directory: directory, clock: clock, logger: logger)
        let connections = ConnectionCounter()
        let settings = config.server
        // Request lines are info records: a host run at `--log-level warning` writes none, as before.
        accessLog = settings.accessLog && logger.logLevel <= .info
            ? AccessLogWriter(format: logFormat, bufferBytes: settings.accessLogBufferBytes, sampleEvery: settings.accessLogSampleEvery)
            : nil
        let output = OutputBudget(limit: config.server.limits.maxBufferedOutputBytes)
        dispatcher = HostDispatcher(
            routes: config.routeTable, workers: workers, logger: logger, accessLog: accessLog,
            health: HealthReport(workers: config.workers.map(\.name), loops: count, connections: connections, output: output),
            scheduler: devRoutes ? scheduler : nil)
        server = HTTPServer(limits: config.server.limits, handler: dispatcher, logger: logger, connections: connections, output: output)
    }

    /// Starts the loops, queue consumers and cron triggers, and listens; returns the bound port.
    public func start() async throws -> Int {
        startLoops()
        let port = try await server.start(host: config.server.host, port: config.server.port, on: group)
        startBackgroundWork()
        logger.info("listening", metadata: [
            "address": "\(config.server.host):\(port)", "loops": "\(group.loops.count)",
            "workers": "\(config.workers.map(\.name).joined(separator: ","))",
        ])
        return port
    }

    /// Starts the loops, queue consumers and cron triggers without listening: requests come only through
    /// `respond(to:)`. Tests run a worker this way where a socket would prove nothing.
    public func startInProcess() {
        startLoops()
        startBackgroundWork()
    }

    /// Answers `request` as the host answers one read from a socket — routed by host and path, handled on a
    /// loop, a worker's errors turned into responses — but with no socket: no framing, limits or access log.
    public func respond(to request: Request) async -> Response {
        let loop = group.loops[0]
        return await withTaskExecutorPreference(loop) {
            await dispatcher.handle(request, on: loop).response
        }
    }

    private func startLoops() {
        signal(SIGPIPE, SIG_IGN)
        group.start()
        directory.loops.withLock { $0 = group.loops }
    }

    private func startBackgroundWork() {
        for consumer in consumers { consumer.start() }
        scheduler.start(on: group.loops[0])
        housekeeping.start(on: group.loops[0])
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled() async {
        let signal = await group.loops[0].waitForSignal([SIGTERM, SIGINT])
        logger.info("shutting down", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
        await shutdown()
    }

    /// Stops accepting, finishes in-flight requests and queue batches within the deadline, closes every handle.
    public func shutdown() async {
        // Live streams (SSE, WebSocket fan-out) end with their subscriptions, so their responses finish
        // and the connections close now instead of holding shutdown to its deadline.
        pubsub.finishAll()
        await server.shutdown()
        scheduler.stop()
        housekeeping.stop()
        for consumer in consumers { await consumer.stop() }
        group.shutdown()
        accessLog?.finish()
        logger.info("stopped")
    }

    /// Runs `worker`'s scheduled handler for `cron` once, without serving (`ozzi trigger`). Returns
    /// false when no such trigger is configured or the run failed.
    public func runScheduled(worker: String, cron: String) async -> Bool {
        let jobs = scheduler.jobs(cron: cron, worker: worker)
        guard !jobs.isEmpty else { return false }
        startLoops()
        defer { group.shutdown() }
        var ok = true
        for job in jobs {
            ok = await scheduler.run(job, minute: SystemClock().seconds / 60 * 60, loop: group.loops[0]) == true && ok
        }
        return ok
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

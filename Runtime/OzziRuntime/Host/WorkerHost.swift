import Glibc
import Logging
import Synchronization

/// The host process: builds each configured worker with its bindings, serves them on every event loop,
/// runs their queue consumers, cron triggers and own services, and shuts down gracefully.
public final class WorkerHost: Sendable {
    public let config: HostConfig
    public let workers: [String: any Worker]
    /// The host-wide pub/sub broker every `pubsub` binding shares: in process, or across hosts on Redis.
    public let pubsub: any PubSubBroker
    /// The shared engines `[server.backends]` names, if any.
    let backends: HostBackends
    public let queues: QueueRegistry
    /// What `/__ozzi/metrics` shows; workers count into it through `env.metrics`.
    public let metrics = MetricsRegistry()
    /// Backend pools shown in the metrics: the binding factory adds each pool it opens.
    public let backendPools = BackendPoolMetrics()
    /// Live log lines for `ozzi tail`.
    let tail: LogTail
    let logger: Logger
    let group: EventLoopGroup
    let server: HTTPServer
    /// What a connection hands each request to; `respond(to:)` hands requests to it without one.
    let dispatcher: HostDispatcher
    let directory: WorkerDirectory
    let scheduler: CronScheduler
    /// Every long-running part, in the order shutdown reverses (see `init`).
    let services: ServiceGroup
    /// The running service group, from `start`; it returns the error a failing service ended it with.
    private let running = Mutex<Task<(any Error)?, Never>?>(nil)
    /// The port `start` bound, for the "listening" line.
    private let port = Atomic<Int>(0)
    private let loopsClosed = Atomic<Bool>(false)

    /// Builds every worker (a failing worker stops start-up, naming it) and the loops to serve them.
    /// `devRoutes` adds `/__scheduled?cron=...`, as `ozzi dev` does; `logFormat` is the access log's.
    public init(
        config: HostConfig, registry: WorkerRegistry, loops: Int, logger: Logger,
        clock: any WallClock = SystemClock(), devRoutes: Bool = false, logFormat: LineLogHandler.Format = .json
    ) throws {
        self.config = config
        let tail = LogTail()
        self.tail = tail
        let logger = logger.tapped(by: tail)
        self.logger = logger
        let count = loops > 0 ? loops : EventLoopGroup.defaultCount
        let group = try EventLoopGroup(count: count)
        self.group = group
        directory = WorkerDirectory(logger: logger)
        let backends = try HostBackends(config, redisLoop: group.loops[0], pools: backendPools)
        self.backends = backends
        pubsub = backends.redis?.pubsub ?? PubSub()
        let queues = try backends.queues(dataDirectory: config.server.dataDirectory, clock: clock, logger: logger)
        self.queues = queues
        let factory = BindingFactory(config: config, backends: backends, queues: queues, directory: directory, pubsub: pubsub, clock: clock)
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
                logger: logger.with(worker: worker.name), bindings: bindings, clock: clock,
                metrics: WorkerMetrics(registry: metrics, worker: worker.name))
            do {
                workers[worker.name] = try make(env)
            } catch {
                throw ConfigError(file: config.file, worker: worker.name, message: "failed to start: \(error)")
            }
            directory.add(worker.name, workers[worker.name]!)
        }
        self.workers = workers
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
        scheduler = CronScheduler(
            jobs: config.workers.flatMap { worker in worker.bindings.crons.map { CronScheduler.Job(worker: worker.name, schedule: $0) } },
            directory: directory, loop: group.loops[0], clock: clock, logger: logger, claims: try backends.cronClaims())
        let connections = ConnectionCounter()
        let settings = config.server
        // Request lines are info records: a host run at `--log-level warning` writes none, as before.
        let accessLog = settings.accessLog && logger.logLevel <= .info
            ? AccessLogWriter(format: logFormat, bufferBytes: settings.accessLogBufferBytes, sampleEvery: settings.accessLogSampleEvery)
            : nil
        let output = OutputBudget(limit: config.server.limits.maxBufferedOutputBytes)
        let requests = RequestMetrics(routes: workers.compactMapValues { ($0 as? any RoutedWorker)?.router.routes })
        for collector in [requests, ConnectionMetrics(connections: connections, output: output), QueueMetrics(queues: queues), backendPools] as [any MetricsCollector] {
            metrics.register(collector)
        }
        dispatcher = HostDispatcher(
            routes: config.routeTable, workers: workers, logger: logger, accessLog: accessLog,
            health: HealthReport(workers: config.workers.map(\.name), loops: count, connections: connections, output: output, backends: backends),
            scheduler: devRoutes ? scheduler : nil,
            operators: OperatorEndpoints(token: settings.opsToken, metrics: metrics, tail: tail, workers: Set(workers.keys)),
            requests: requests)
        server = HTTPServer(limits: config.server.limits, handler: dispatcher, logger: logger, connections: connections, output: output)
        let workerServices = config.workers.enumerated().flatMap { index, worker in
            workers[worker.name]!.services(context: WorkerServiceContext(
                worker: worker.name, loop: group.loops[index % count], logger: logger.with(worker: worker.name)))
        }
        // Started in this order and stopped in reverse, each once the one after it has returned: live streams
        // end, then HTTP stops accepting and drains; cron finishes its runs and housekeeping its sweep; queue
        // consumers settle their batches; workers' services, which requests, cron and batches may hand work
        // to, finish theirs; the access log is flushed, and last the queues stop listening for other hosts'
        // sends (PostgreSQL). `shutdown_deadline_ms` bounds it all.
        var lifecycle: [any Service] = [queues]
        lifecycle += accessLog.map { [$0] } ?? []
        lifecycle += workerServices
        lifecycle += consumers
        lifecycle += [Housekeeping(namespaces: namespaces, logger: logger), scheduler, server, LiveStreamsShutdown(broker: pubsub), tail]
        services = ServiceGroup(
            services: lifecycle, gracefulShutdownTimeout: .milliseconds(Int64(config.server.limits.shutdownDeadlineMs)), logger: logger)
    }

    /// Starts the loops, listens, and starts every service (queue consumers, cron, workers' own); returns
    /// the bound port. `runUntilSignalled` announces it.
    public func start() async throws -> Int {
        try await startLoops()
        let port = try await server.start(host: config.server.host, port: config.server.port, on: group)
        runServices()
        self.port.store(port, ordering: .relaxed)
        return port
    }

    /// Starts the loops, queue consumers and cron triggers without listening: requests come only through
    /// `respond(to:)`. Tests run a worker this way where a socket would prove nothing.
    public func startInProcess() async throws {
        try await startLoops()
        runServices()
    }

    /// Answers `request` as the host answers one read from a socket — routed by host and path, handled on a
    /// loop, a worker's errors turned into responses — but with no socket: no framing, limits or access log.
    public func respond(to request: Request) async -> Response {
        let loop = group.loops[0]
        return await withTaskExecutorPreference(loop) {
            await dispatcher.handle(request, on: loop).response
        }
    }

    /// Starts the loops and dials the engines that need them (Redis); one that cannot be reached is a
    /// `ConfigError` naming it, and the loops are stopped again.
    private func startLoops() async throws {
        signal(SIGPIPE, SIG_IGN)
        group.start()
        directory.loops.withLock { $0 = group.loops }
        do {
            try await backends.open()
        } catch {
            group.shutdown()
            throw error
        }
    }

    /// Runs every service (queue consumers, cron, housekeeping, workers' own) until `shutdown`.
    private func runServices() {
        let started = Task { [services] () -> (any Error)? in
            do {
                try await services.run()
                return nil
            } catch {
                return error
            }
        }
        running.withLock { $0 = started }
    }

    /// Announces "listening" once SIGTERM and SIGINT are caught, serves until one comes, then shuts down
    /// gracefully; throws what a failing service ended it with.
    public func runUntilSignalled() async throws {
        let watching = Latch()
        let watch = Task { [group, services, logger] in
            let signal = await group.loops[0].waitForSignal([SIGTERM, SIGINT], whenWatching: { watching.open() })
            guard let signal else { return }
            logger.info("shutting down", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
            services.triggerGracefulShutdown()
        }
        // Announced once a signal stops the host gracefully: whoever waits for this line may send one.
        try? await watching.wait()
        logger.info("listening", metadata: [
            "address": "\(config.server.host):\(port.load(ordering: .relaxed))", "loops": "\(group.loops.count)",
            "workers": "\(config.workers.map(\.name).joined(separator: ","))",
        ])
        let failure = await stopped()
        // The watch ends on the loop, so before the loops close.
        watch.cancel()
        await watch.value
        await closeLoops()
        if let failure { throw failure }
    }

    /// Stops every service in order (HTTP first: no new connections, in-flight requests finish), within
    /// `shutdown_deadline_ms`, then closes every handle.
    public func shutdown() async {
        services.triggerGracefulShutdown()
        _ = await stopped()
        await closeLoops()
    }

    /// Waits for the service group to return; the error it ended with, if a service failed.
    private func stopped() async -> (any Error)? {
        guard let started = running.withLock({ $0 }) else { return nil }
        return await started.value
    }

    private func closeLoops() async {
        guard running.withLock({ $0 }) != nil, !loopsClosed.exchange(true, ordering: .relaxed) else { return }
        queues.shutdown()
        await backends.close()
        group.shutdown()
        logger.info("stopped")
    }

    /// Runs `worker`'s scheduled handler for `cron` once, without serving (`ozzi trigger`). Returns
    /// false when no such trigger is configured or the run failed.
    public func runScheduled(worker: String, cron: String) async -> Bool {
        let jobs = scheduler.jobs(cron: cron, worker: worker)
        guard !jobs.isEmpty else { return false }
        do {
            try await startLoops()
        } catch {
            logger.error("could not start", metadata: ["error": "\(error)"])
            return false
        }
        var ok = true
        for job in jobs {
            ok = await scheduler.run(job, minute: SystemClock().seconds / 60 * 60, loop: group.loops[0]) == true && ok
        }
        queues.shutdown()
        await backends.close()
        group.shutdown()
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

import Logging

/// Runs services side by side and stops them in order, as swift-service-lifecycle's `ServiceGroup` does.
///
/// Services start in the order given. On `triggerGracefulShutdown()` (a signal, a test) or when a service
/// throws, they are asked to stop one at a time in reverse order, each once the one after it has returned:
/// list what hands work to others after what takes it (the HTTP server last, so it stops first). When
/// `gracefulShutdownTimeout` passes first, by `clock`, every service still running is cancelled.
/// A service that returns early, without an error, is let go; the rest keep running.
public final class ServiceGroup: Sendable {
    private let services: [any Service]
    private let stopRequests: [Latch]
    private let requested = Latch()
    private let gracefulShutdownTimeout: Duration?
    private let clock: any Clock<Duration>
    private let logger: Logger

    public init(services: [any Service], gracefulShutdownTimeout: Duration?, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.services = services
        stopRequests = services.map { _ in Latch() }
        self.gracefulShutdownTimeout = gracefulShutdownTimeout
        self.clock = clock
        self.logger = logger
    }

    /// Starts the graceful shutdown (any thread, any time, more than once; before `run` it takes effect at once).
    public func triggerGracefulShutdown() {
        requested.open()
    }

    private enum Event: Sendable {
        case finished(index: Int, error: (any Error)?)
        case shutdownRequested
        case deadlinePassed
    }

    /// Runs every service until all have returned; rethrows the first service's error, after stopping the rest.
    public func run() async throws {
        var failure: (any Error)?
        await withTaskGroup(of: Event.self) { group in
            for (index, service) in services.enumerated() {
                group.addTask { [stopRequests] in
                    await Latch.$gracefulShutdown.withValue(stopRequests[index]) {
                        do {
                            try await service.run()
                            return .finished(index: index, error: nil)
                        } catch {
                            return .finished(index: index, error: error)
                        }
                    }
                }
            }
            group.addTask { [requested] in
                try? await requested.wait()
                return .shutdownRequested
            }
            var running = Set(services.indices)
            var stopping: Int?
            var shuttingDown = false
            var deadlinePassed = false
            // Asks the last service still running to stop; the next is asked once it has returned.
            func stopNext() {
                guard let index = running.max() else { return }
                stopping = index
                logger.debug("stopping service", metadata: ["service": "\(services[index])"])
                stopRequests[index].open()
            }
            func beginShutdown() {
                guard !shuttingDown else { return }
                shuttingDown = true
                if let timeout = gracefulShutdownTimeout {
                    // Cancelled, the timer ends early: the group itself is being cancelled, so is everything else.
                    group.addTask { [clock] in
                        try? await clock.sleep(for: timeout)
                        return .deadlinePassed
                    }
                }
                stopNext()
            }
            while !running.isEmpty, let event = await group.next() {
                switch event {
                case .shutdownRequested:
                    beginShutdown()
                case .deadlinePassed:
                    logger.warning("shutdown deadline passed; cancelling what is still running",
                                   metadata: ["services": "\(running.sorted().map { "\(services[$0])" })"])
                    deadlinePassed = true
                    group.cancelAll()
                case .finished(let index, let error):
                    running.remove(index)
                    // Past the deadline, a service ending in error is one the group cancelled: not a failure.
                    if let error, !deadlinePassed {
                        logger.error("service failed", metadata: ["service": "\(services[index])", "error": "\(error)"])
                        failure = failure ?? error
                        beginShutdown()
                    }
                    if shuttingDown, stopping == index { stopNext() }
                }
            }
            // Ends the waits for a request and for the deadline.
            group.cancelAll()
        }
        if let failure { throw failure }
    }
}

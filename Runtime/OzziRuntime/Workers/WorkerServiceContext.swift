import Logging

/// What the host gives a worker's long-running services besides the worker's own bindings.
public struct WorkerServiceContext: Sendable {
    public let worker: String
    /// A loop the services may prefer (`withTaskExecutorPreference`) and build `RequestContext`s on.
    public let loop: EventLoop
    public let logger: Logger

    public init(worker: String, loop: EventLoop, logger: Logger) {
        self.worker = worker
        self.loop = loop
        self.logger = logger
    }
}

/// A worker module: built from its granted bindings, it answers requests routed to it.
///
/// The Cloudflare Workers model in Swift: `fetch` for HTTP (and WebSocket upgrades, answered with
/// `Response.webSocket`), `scheduled` for cron triggers.
public protocol Worker: Sendable {
    /// Builds the worker from what its configuration grants it; throwing stops the host's start-up.
    init(env: WorkerEnv) throws

    func fetch(_ request: Request, context: RequestContext) async throws -> Response

    /// Runs for each cron trigger the configuration gives this worker.
    func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws

    /// Receives batches from the queues this worker consumes.
    func queue(_ batch: MessageBatch, context: RequestContext) async throws

    /// For a request with a body (`path` below the worker's mount point): the byte limit when the
    /// worker reads it streamed, nil to have the host buffer it. Called on the loop; must not block.
    func streamedBodyLimit(method: String, path: String) -> Int?

    /// The worker's own long-running parts (renders, campaign runners, call sessions, calendar watches),
    /// asked for once at start-up. The host runs them with its own services and stops them gracefully after
    /// HTTP, cron and queue consumers (which may hand them work), while the loops and bindings still work.
    func services(context: WorkerServiceContext) -> [any Service]
}

extension Worker {
    public func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {}

    /// A consumer without a hook fails its batches, so messages are retried and dead-lettered, not lost.
    public func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        throw QueueError.noConsumerHook(worker: context.worker)
    }

    public func streamedBodyLimit(method: String, path: String) -> Int? { nil }

    public func services(context: WorkerServiceContext) -> [any Service] { [] }
}

/// A worker whose `fetch` is its router.
public protocol RoutedWorker: Worker {
    var router: Router { get }
}

extension RoutedWorker {
    public func fetch(_ request: Request, context: RequestContext) async throws -> Response {
        try await router.handle(request, context: context)
    }

    public func streamedBodyLimit(method: String, path: String) -> Int? {
        router.streamedBodyLimit(method: method, path: path)
    }
}

/// One cron firing.
public struct ScheduledEvent: Sendable {
    /// The cron expression that fired, as written in the configuration.
    public let cron: String
    /// The minute it fired for, in seconds since 1970 (UTC).
    public let scheduledTime: Int64

    public init(cron: String, scheduledTime: Int64) {
        self.cron = cron
        self.scheduledTime = scheduledTime
    }
}

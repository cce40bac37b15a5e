import OzziRuntime

/// One domain of the api worker (contacts, messaging, study books, ...): a folder that contributes its
/// routes, its queue jobs, its share of the every-minute maintenance, the event types it records and its
/// long-running services.
/// `APIWorker.domains` lists the domains once; each builds what it needs in its `init` from the
/// `APIEnvironment` (bindings, settings, and the shared accounts, events and messaging services).
protocol APIDomain: Sendable {
    /// Registers the domain's routes below `/api/v1`, under the path prefix it states once.
    func routes(_ v1: RouteGroup)
    /// Registers the queue jobs it runs.
    func jobs(_ jobs: inout JobHandlers)
    /// Its part of the every-minute maintenance sweep (expired rows, work a crash left behind).
    func maintain() async throws
    /// Its work on the api's cron triggers other than the every-minute sweep (each domain checks
    /// `event.cron` for its own: the retention run at 01:00 UTC).
    func scheduled(_ event: ScheduledEvent) async throws
    /// The event types its changes record (`contact.created`, ...): what webhook endpoints may subscribe to.
    var publishes: [String] { get }
    /// Its long-running parts, which the host starts with its own and stops gracefully after the queue
    /// consumers (see `Worker.services`).
    func services(context: WorkerServiceContext) -> [any Service]
}

extension APIDomain {
    func jobs(_ jobs: inout JobHandlers) {}
    func maintain() async throws {}
    func scheduled(_ event: ScheduledEvent) async throws {}
    var publishes: [String] { [] }
    func services(context: WorkerServiceContext) -> [any Service] { [] }
}

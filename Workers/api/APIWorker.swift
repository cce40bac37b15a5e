import OzziRuntime

/// The core JSON API: identity, contacts, messaging, communities, calendars, search and admin.
public struct APIWorker: RoutedWorker {
    public static let module = "api"
    public let router: Router
    let sweep: MaintenanceSweep

    /// Needs the `KV` namespace and the `DB` database bindings.
    public init(env: WorkerEnv) throws {
        sweep = MaintenanceSweep(kv: try env.kv("KV"), database: try env.database("DB"))
        var router = Router()
        router.get("/api/v1/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }

    public func scheduled(_ event: ScheduledEvent, context: RequestContext) async throws {
        try await sweep.run(event)
    }
}

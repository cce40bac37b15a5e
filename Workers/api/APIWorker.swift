import OzziRuntime

/// The core JSON API: identity, contacts, messaging, communities, calendars, search and admin.
public struct APIWorker: RoutedWorker {
    public static let module = "api"
    public let router: Router

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/api/v1/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }
}

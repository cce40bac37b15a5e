import OzziRuntime

/// Embeddable forms: loader, iframe-rendered form, and submissions that create contacts.
public struct FormEmbedWorker: RoutedWorker {
    public static let module = "form-embed"
    public let router: Router

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }
}

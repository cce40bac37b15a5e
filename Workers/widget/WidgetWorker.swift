import OzziRuntime

/// The chat widget customers embed with a script tag: loader, iframe and JS API.
public struct WidgetWorker: RoutedWorker {
    public static let module = "widget"
    public let router: Router

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }
}

import OzziRuntime

/// Embeddable forms: `/loader.js?key=` (puts the form's iframe where the page asks and sizes it to its
/// content), `/embed?key=` (the form, rendered by the server: HTML, CSS and script inline under a nonce,
/// nothing fetched from elsewhere), and `POST /submit`. It owns no data: forms and submissions are the
/// api's, reached through the `API` service binding, which also runs the form's checks.
public struct FormEmbedWorker: RoutedWorker {
    public static let module = "form-embed"
    public let router: Router

    public init(env: WorkerEnv) throws {
        let directory = FormDirectory(api: try env.service("API"))
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        router.addFormLoaderRoutes(directory)
        router.addFormPageRoutes(directory)
        router.addSubmitRoutes(directory)
        self.router = router
    }
}

import OzziRuntime

/// The chat widget customers embed with a script tag: `/loader.js?key=` (the launcher and the iframe on
/// the customer's page, and `OzziOsWidget`), `/embed?key=` (the iframe), and the chat's own API and
/// WebSocket for the iframe. It owns no data: widgets, visitors and messages are the api's, reached through
/// the `API` service binding; live messages arrive on the host's pub/sub (`LIVE`).
public struct WidgetWorker: RoutedWorker {
    public static let module = "widget"
    public let router: Router

    public init(env: WorkerEnv) throws {
        let api = try env.service("API")
        let directory = WidgetDirectory(api: api)
        let chat = WidgetChat(api: api, directory: directory, pubsub: try env.pubsub("LIVE"), buckets: env.tokenBuckets, logger: env.logger)
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        router.addLoaderRoutes(directory)
        router.addEmbedRoutes(directory)
        router.addChatRoutes(chat)
        self.router = router
    }
}

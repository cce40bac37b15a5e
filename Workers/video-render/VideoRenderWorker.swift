import OzziRuntime

/// Renders video projects (tracks, keyframes, captions) to MP4 into a bucket.
public struct VideoRenderWorker: RoutedWorker {
    public static let module = "video-render"
    public let router: Router

    public init(env: WorkerEnv) throws {
        var router = Router()
        router.get("/status", WorkerStatus.route(worker: env.name, module: Self.module))
        self.router = router
    }
}

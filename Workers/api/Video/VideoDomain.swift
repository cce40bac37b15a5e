import OzziRuntime

/// `/api/v1/video`: projects (tracks of clips on a timeline, keyframes, captions), the media assets they
/// use, and renders to MP4. The media work (probing uploads, ffmpeg) is video-render's, reached through the
/// `VIDEO` service binding; assets and renders are in the FILES bucket, which video-render binds too.
struct VideoDomain: APIDomain {
    let assets: VideoAssetStore
    let projects: VideoProjectStore
    let renders: VideoRenderStore
    let service: VideoService
    let events: WorkspaceEvents
    /// How long ffmpeg may run on one render (`VIDEO_RENDER_TIMEOUT_SECONDS`, default 1800).
    let timeoutSeconds: Int

    init(_ api: APIEnvironment) throws {
        let env = api.env
        service = VideoService(binding: try env.service("VIDEO"))
        assets = VideoAssetStore(database: api.database, clock: api.clock, bucket: try env.bucket("FILES"), service: service)
        projects = VideoProjectStore(database: api.database, clock: api.clock)
        renders = VideoRenderStore(database: api.database, clock: api.clock, jobs: try env.queue("JOBS"))
        events = api.events
        timeoutSeconds = max(1, Int(env.var("VIDEO_RENDER_TIMEOUT_SECONDS", default: "1800")) ?? 1_800)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/video/assets").announcing(events).addVideoAssetRoutes(self)
        let projects = v1.group("/video/projects").announcing(events)
        projects.addVideoProjectRoutes(self)
        projects.addVideoProjectRenderRoutes(self)
        projects.addVideoCaptionRoutes(self)
        v1.group("/video/renders").announcing(events).addVideoRenderRoutes(self)
        v1.group("/internal/video").announcing(events).addVideoServiceRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(VideoRenderJob.self) { job, _ in
            guard let body = try await renders.dispatch(id: job.renderID, timeoutSeconds: timeoutSeconds) else { return }
            do {
                try await service.render(body)
            } catch let error as APIError where (400..<500).contains(error.status) {
                // video-render refused the render itself (a project it cannot read): no retry helps.
                _ = try await renders.finish(id: job.renderID, ["state": "failed", "error": ["code": .string(error.code), "message": .string(error.message)]])
            }
        }
    }

    func maintain() async throws {
        try await renders.requeueLost()
    }

    /// Files served from the api's own origin: never run as a page, never sniffed into one.
    static let downloadHeaders: HTTPHeaders = [
        "cache-control": "private, max-age=3600", "x-content-type-options": "nosniff", "content-security-policy": "sandbox; default-src 'none'",
    ]

    var publishes: [String] {
        ["video.asset_created", "video.asset_deleted", "video.project_created", "video.project_updated", "video.project_deleted",
         "video.render_queued", "video.render_progress", "video.render_succeeded", "video.render_failed", "video.render_cancelled"]
    }
}

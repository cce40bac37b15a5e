import OzziRuntime
import VideoTimeline

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

    /// Renders the project as it is now; 409 naming an asset of it that is gone.
    func render(_ scope: TenantScope, _ project: VideoProjectRecord, quality: RenderQuality, createdBy: String) async throws -> VideoRender {
        let assets = try await assets.forRender(scope, ids: project.project.assetIDs)
        if let missing = project.project.assetIDs.first(where: { assets[$0] == nil }) {
            throw APIError.conflict("asset \(missing) of the project is gone: take it out of the project first", details: ["asset_id": .string(missing)])
        }
        return try await renders.start(scope, project, assets: assets, quality: quality, createdBy: createdBy)
    }

    /// Cancels a queued or running render (409 once it has ended); nil when there is none.
    func cancel(_ scope: TenantScope, renderID: String) async throws -> VideoRender? {
        guard let render = try await renders.cancel(scope, id: renderID) else { return nil }
        // The row is final already; video-render stops its ffmpeg (or drops it from its line) when it hears.
        _ = try? await service.cancel(renderID: render.id)
        return render
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

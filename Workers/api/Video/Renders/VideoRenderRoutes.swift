import OzziRuntime
import VideoTimeline

/// Renders: asked for on a project (`POST /video/projects/{id}/renders`), followed at
/// `/api/v1/video/renders/{id}` (and on the live stream), cancelled, and downloaded once made.
extension RouteGroup {
    func addVideoProjectRenderRoutes(_ s: VideoDomain) {
        authed("POST", "/:id/renders", "Render the project as it is now to an MP4 (H.264/AAC, faststart) with a poster image, in the background (follow it at GET /video/renders/{id})",
               tag: "video", body: .json(Schema.object([
                   .optional("quality", Schema.oneOf(RenderQuality.allCases.map(\.rawValue)).described(
                       "How hard the encoder works (default standard): draft is fastest and largest, for a look at the cut; high is slowest and smallest")),
               ], closed: true), optional: true), answers: .json(.model(VideoRender.self)), success: 202) { request, context, principal in
            let body = try JSONBody(optional: request)
            let quality = try body.choice("quality", RenderQuality.allCases.map(\.rawValue)).flatMap(RenderQuality.init(rawValue:)) ?? .standard
            guard let project = try await s.projects.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            return .json(try await s.render(principal.scope, project, quality: quality, createdBy: principal.userID).json, status: 202)
        }

        list("/:id/renders", "The project's renders, oldest first", tag: "video", of: .model(VideoRender.self), key: \.id, item: \.json) { _, context, principal, page in
            guard try await s.projects.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("project") }
            return try await s.renders.list(principal.scope, projectID: context.parameter("id"), page: page)
        }
    }

    func addVideoRenderRoutes(_ s: VideoDomain) {
        one("A render: its status, progress, error or output", tag: "video", noun: "render", answers: .model(VideoRender.self), item: \.json) {
            try await s.renders.get($0, id: $1)
        }

        authed("POST", "/:id/cancel", "Cancel a queued or running render (its ffmpeg is stopped); 409 once it has ended", tag: "video",
               answers: .json(.model(VideoRender.self))) { _, context, principal in
            guard let render = try await s.cancel(principal.scope, renderID: context.parameter("id")) else { throw APIError.notFound("render") }
            return .json(render.json)
        }

        for (path, summary, type, key) in [("/:id/video", "The rendered MP4 (ranges honoured, so players can seek)", "video/mp4", VideoRender.outputKey),
                                           ("/:id/poster", "The render's poster image (a frame from its first second)", "image/jpeg", VideoRender.posterKey)] {
            authed("GET", path, summary, tag: "video", answers: .file(mediaTypes: [type])) { request, context, principal in
                guard let render = try await s.renders.get(principal.scope, id: context.parameter("id")), render.status == "succeeded",
                      let response = try await BucketDownload.response(s.assets.bucket, key: key(principal.scope.workspaceID, render.id), request: request,
                                                                       headers: VideoDomain.downloadHeaders) else {
                    throw APIError.notFound("rendered file")
                }
                return response
            }
        }
    }

    /// What video-render reports through its `API` binding.
    func addVideoServiceRoutes(_ s: VideoDomain) {
        service("POST", "/renders/:id/progress") { request, context in
            let body = try JSONBody(request)
            let state = try body.string("state", max: 20) ?? "rendering"
            guard try await s.renders.progress(id: context.parameter("id"), state: state, fraction: body.fields["progress"]?.numberValue) else {
                throw APIError.conflict("the render has ended")
            }
            return Response(status: 204)
        }

        service("POST", "/renders/:id/finished") { request, context in
            _ = try await s.renders.finish(id: context.parameter("id"), .object(try JSONBody(request).fields))
            return Response(status: 204)
        }
    }
}

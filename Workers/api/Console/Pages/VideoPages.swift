import OzziRuntime
import VideoTimeline

/// Video: the projects; one project with a render asked for at a quality, its progress followed live, and
/// the finished video in a player; a render cancelled while it runs.
extension ConsolePages {
    func addVideoPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let video = console.domains.video

        get("/console/video") { _, _, viewer in
            let projects = try await video.projects.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Video", section: .video, VideoViews.list(Array(projects.prefix(100))))
        }

        get("/console/video/projects/:id") { request, context, viewer in
            let scope = viewer.principal.scope
            guard let record = try await video.projects.get(scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            let renders = VideoViews.renders(viewer, try await video.renders.list(scope, projectID: record.id, page: PageRequest(limit: 100, after: nil)))
            if request.queryParameter("part") == "renders" { return .html(renders.text) }
            return try await shell.page(viewer, title: record.name, section: .video, VideoViews.project(viewer, record, renders: renders))
        }

        post("/console/video/projects/:id/renders") { _, context, viewer, form in
            let scope = viewer.principal.scope
            guard let project = try await video.projects.get(scope, id: context.parameter("id")) else { throw APIError.notFound("project") }
            guard let quality = RenderQuality(rawValue: form["quality"] ?? "standard") else { throw APIError.invalidField("quality", "is draft, standard or high") }
            _ = try await video.render(scope, project, quality: quality, createdBy: viewer.principal.userID)
            console.events.flushSoon()
            return ConsoleShell.redirect("/console/video/projects/\(project.id)")
        }

        post("/console/video/renders/:id/cancel") { _, context, viewer, _ in
            guard let render = try await video.cancel(viewer.principal.scope, renderID: context.parameter("id")) else { throw APIError.notFound("render") }
            console.events.flushSoon()
            return ConsoleShell.redirect("/console/video/projects/\(render.project_id)")
        }
    }
}

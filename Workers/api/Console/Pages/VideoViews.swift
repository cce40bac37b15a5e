import OzziRuntime
import VideoTimeline

/// The markup of video: the projects, and one project with its renders (live: queued, the bar as it
/// renders, then the finished video in a player with its poster).
enum VideoViews {
    static func rendersPart(_ projectID: String) -> LivePart {
        LivePart(name: "renders", events: ["video.render_queued", "video.render_progress", "video.render_succeeded", "video.render_failed", "video.render_cancelled"],
                 key: "project_id", id: projectID)
    }

    static func list(_ projects: [VideoProjectRecord]) -> HTML {
        let rows = projects.map { record -> HTML in
            let size = record.project.size
            return """
                <tr><td data-label="Name"><a href="/console/video/projects/\(record.id)">\(record.name)</a></td>
                <td data-label="Size">\(size.width) × \(size.height)</td><td data-label="Length">\(LineChart.text(record.project.duration)) s</td>
                <td data-label="Tracks">\(record.project.tracks.count)</td><td data-label="Changed"><time datetime="\(record.updated_at)">\(record.updated_at)</time></td></tr>
                """
        }
        return """
            <h1>Video</h1>
            \(projects.isEmpty ? "<p class=\"panel\">No projects yet: make one through the API (POST /api/v1/video/projects).</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Video projects</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Length</th><th scope="col">Tracks</th><th scope="col">Changed</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
            """
    }

    static func project(_ viewer: ConsoleViewer, _ record: VideoProjectRecord, renders: HTML) -> HTML {
        let size = record.project.size
        let qualities = RenderQuality.allCases.map { quality -> HTML in
            "<option value=\"\(quality.rawValue)\"\(HTML.when(quality == .standard, " selected"))>\(quality.rawValue)</option>"
        }
        return """
            <p><a href="/console/video">All projects</a></p>
            <h1>\(record.name)</h1>
            <section class="panel" aria-labelledby="project-facts"><h2 id="project-facts">The project</h2>
            <dl class="facts"><dt>Size</dt><dd>\(size.width) × \(size.height), \(record.project.fps) frames a second</dd>
            <dt>Length</dt><dd>\(LineChart.text(record.project.duration)) s</dd><dt>Tracks</dt><dd>\(record.project.tracks.count)</dd>
            <dt>Captions</dt><dd>\(record.project.captions == nil ? "none" : "yes")</dd><dt>Version</dt><dd>\(record.version)</dd></dl>
            <form method="post" action="/console/video/projects/\(record.id)/renders" class="inline-form">\(Layout.csrfField(viewer))
            <label for="render-quality">Quality</label><select id="render-quality" name="quality">\(qualities)</select>
            <button type="submit">Render</button></form>
            </section>
            <section class="panel" aria-labelledby="renders-heading"><h2 id="renders-heading">Renders</h2>
            \(rendersPart(record.id).html(renders, polite: true))</section>
            """
    }

    /// The renders, newest first: the latest finished one in a player, the rest as rows.
    static func renders(_ viewer: ConsoleViewer, _ renders: [VideoRender]) -> HTML {
        guard !renders.isEmpty else { return "<p class=\"hint\">Not rendered yet.</p>" }
        let newest = Array(renders.reversed())
        let player: HTML = newest.first { $0.status == "succeeded" }.map { render in
            """
            <video controls preload="metadata" poster="/api/v1/video/renders/\(render.id)/poster" src="/api/v1/video/renders/\(render.id)/video" \
            aria-label="The render of \(render.created_at)"\(render.width.map { " width=\"\($0)\"" as HTML } ?? .empty)></video>
            <p><a href="/api/v1/video/renders/\(render.id)/video" download>Download the MP4</a> (\(render.output_size.map { "\($0 / 1024) KiB" } ?? ""))</p>
            """
        } ?? .empty
        let rows = newest.map { render -> HTML in
            let state: HTML = switch render.status {
            case "rendering": "<progress max=\"100\" value=\"\(Int(render.progress * 100))\" aria-label=\"Rendering\"></progress> \(Int(render.progress * 100)) %"
            case "failed": "<span class=\"error\">failed: \(render.error_message ?? render.error_code ?? "")</span>"
            default: "\(render.status)"
            }
            let cancel: HTML = VideoRender.live.contains(render.status) ? """
                <form method="post" action="/console/video/renders/\(render.id)/cancel">\(Layout.csrfField(viewer))<button type="submit" class="small danger">Cancel</button></form>
                """ : .empty
            return """
                <tr data-render="\(render.id)" data-status="\(render.status)"><td data-label="Asked"><time datetime="\(render.created_at)">\(render.created_at)</time></td>
                <td data-label="Quality">\(render.quality)</td><td data-label="State">\(state)</td><td>\(cancel)</td></tr>
                """
        }
        return """
            \(player)
            <table class="rows"><caption class="visually-hidden">Renders, newest first</caption>
            <thead><tr><th scope="col">Asked</th><th scope="col">Quality</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Cancel</span></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }
}

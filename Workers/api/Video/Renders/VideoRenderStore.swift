import OzziRuntime
import VideoTimeline

/// All SQL about renders. A render keeps the project as it stood when asked (with its assets' bucket keys
/// and probes), so later changes to the project do not change what it makes. Its life: queued (a job hands it to
/// video-render), rendering (progress reports, each also its heartbeat), then one of succeeded, failed or
/// cancelled, written once: a report about a render already ended changes nothing.
struct VideoRenderStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let jobs: any QueueProducer

    /// A render heard nothing of this long is handed over again (its host may have died), at most `maxAttempts` times.
    static let lostAfterMs: Int64 = 120_000
    static let maxAttempts = 3

    func start(_ scope: TenantScope, _ project: VideoProjectRecord, assets: [String: JSONValue], quality: RenderQuality,
               createdBy: String?) async throws -> VideoRender {
        let id = ResourceID.make("vrnd")
        let now = Timestamp.now(clock)
        let document: JSONValue = ["project": project.project.json, "assets": .object(assets)]
        try await database.transaction { [clock] tx in
            try tx.run("""
                INSERT INTO video_renders (id, workspace_id, project_id, project_version, document, status, quality, output_key, poster_key, heartbeat_ms,
                                           created_by, created_at)
                VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, project.id, project.version, document.jsonText, quality.rawValue, VideoRender.outputKey(workspace: scope.workspaceID, id: id),
                VideoRender.posterKey(workspace: scope.workspaceID, id: id), clock.milliseconds, createdBy, now)
            try WorkspaceEvents.record(tx, [(scope, "video.render_queued", ["render_id": .string(id), "project_id": .string(project.id)])], at: now)
        }
        try await jobs.send(VideoRenderJob(renderID: id).json)
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> VideoRender? {
        try await database.prepare(VideoRender.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(VideoRender.self)
    }

    func list(_ scope: TenantScope, projectID: String, page: PageRequest) async throws -> [VideoRender] {
        try await database.prepare(VideoRender.select + " WHERE workspace_id = ? AND project_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, projectID, page.after ?? "", page.limit + 1).all(VideoRender.self)
    }

    /// What video-render needs to render `id`, counting the attempt; nil once the render has ended.
    func dispatch(id: String, timeoutSeconds: Int) async throws -> JSONValue? {
        try await database.transaction { [clock] tx -> JSONValue? in
            guard let row = try tx.all("""
                UPDATE video_renders SET attempts = attempts + 1, heartbeat_ms = ? WHERE id = ? AND status IN ('queued', 'rendering')
                RETURNING document, quality, output_key, poster_key
                """, clock.milliseconds, id).first,
                  let text = row.text("document"), let document = try? JSONValue(jsonBytes: Array(text.utf8)) else { return nil }
            return ["render_id": .string(id), "project": document["project"] ?? .null, "assets": document["assets"] ?? [:],
                    "quality": .string(row.text("quality") ?? RenderQuality.standard.rawValue), "output_key": .string(row.text("output_key") ?? ""), "poster_key": .string(row.text("poster_key") ?? ""),
                    "timeout_seconds": .number(Double(timeoutSeconds))]
        }
    }

    /// A report from video-render: `rendering` with how far, or `queued` (waiting for a free core); either
    /// keeps the render alive. False when the render has ended (the report is too late to matter).
    func progress(id: String, state: String, fraction: Double?) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { [clock] tx -> Bool in
            guard let row = try tx.all("SELECT workspace_id, project_id, status, progress FROM video_renders WHERE id = ?", id).first,
                  let status = row.text("status"), VideoRender.live.contains(status), let workspace = row.text("workspace_id") else { return false }
            let before = row.double("progress") ?? 0
            let after = max(before, min(fraction ?? before, 0.999))
            let nextStatus = state == "rendering" ? "rendering" : status
            try tx.run("""
                UPDATE video_renders SET status = ?, progress = ?, heartbeat_ms = ?, started_at = CASE WHEN ? = 'rendering' THEN coalesce(started_at, ?) ELSE started_at END
                WHERE id = ?
                """, nextStatus, after, clock.milliseconds, nextStatus, now, id)
            // The live stream hears of each twentieth of the way, not of every report.
            if nextStatus != status || Int(after * 20) != Int(before * 20) {
                try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: workspace), "video.render_progress",
                                                 ["render_id": .string(id), "project_id": .string(row.text("project_id") ?? ""), "status": .string(nextStatus),
                                                  "progress": .number((after * 1000).rounded() / 1000)])], at: now)
            }
            return true
        }
    }

    /// The outcome video-render reports; false when the render had already ended. A render cancelled here
    /// whose ffmpeg finished anyway leaves its files to the bucket garbage.
    func finish(id: String, _ outcome: JSONValue) async throws -> Bool {
        let now = Timestamp.now(clock)
        let state = outcome["state"]?.stringValue ?? "failed"
        guard ["succeeded", "failed", "cancelled"].contains(state) else { throw APIError.invalidField("state", "must be succeeded, failed or cancelled") }
        return try await database.transaction { tx -> Bool in
            guard let row = try tx.all("SELECT workspace_id, project_id, status, output_key, poster_key FROM video_renders WHERE id = ?", id).first,
                  let workspace = row.text("workspace_id") else { return false }
            guard VideoRender.live.contains(row.text("status") ?? "") else {
                if row.text("status") == "cancelled", state == "succeeded" {
                    for key in [row.text("output_key"), row.text("poster_key")].compactMap({ $0 }) {
                        try tx.run("INSERT INTO bucket_garbage (key) VALUES (?) ON CONFLICT DO NOTHING", key)
                    }
                }
                return false
            }
            let output = outcome["output"]
            try tx.run("""
                UPDATE video_renders SET status = ?, progress = CASE WHEN ? = 'succeeded' THEN 1 ELSE progress END, error_code = ?, error_message = ?,
                  output_size = ?, duration = ?, width = ?, height = ?, finished_at = ?, heartbeat_ms = ? WHERE id = ?
                """, state, state, outcome["error"]?["code"]?.stringValue, outcome["error"]?["message"]?.stringValue.map { String($0.prefix(4_000)) },
                output?["size"]?.numberValue.map { Int($0) }, output?["duration"]?.numberValue, output?["width"]?.numberValue.map { Int($0) },
                output?["height"]?.numberValue.map { Int($0) }, now, clock.milliseconds, id)
            try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: workspace), "video.render_\(state)",
                                             ["render_id": .string(id), "project_id": .string(row.text("project_id") ?? "")])], at: now)
            return true
        }
    }

    /// Cancels a live render here at once (its row is final from now); video-render is told after.
    func cancel(_ scope: TenantScope, id: String) async throws -> VideoRender? {
        let now = Timestamp.now(clock)
        let cancelled = try await database.transaction { tx -> Bool in
            let changes = try tx.run("""
                UPDATE video_renders SET status = 'cancelled', finished_at = ? WHERE workspace_id = ? AND id = ? AND status IN ('queued', 'rendering')
                """, now, scope.workspaceID, id).changes
            if changes == 1 {
                let project = try tx.all("SELECT project_id FROM video_renders WHERE id = ?", id).first?.text("project_id") ?? ""
                try WorkspaceEvents.record(tx, [(scope, "video.render_cancelled", ["render_id": .string(id), "project_id": .string(project)])], at: now)
            }
            return changes == 1
        }
        guard let render = try await get(scope, id: id) else { return nil }
        guard cancelled || render.status == "cancelled" else {
            throw APIError.conflict("the render has already \(render.status)", details: ["status": .string(render.status)])
        }
        return render
    }

    /// Renders heard nothing of for two minutes: handed over again, or failed after their last attempt.
    func requeueLost() async throws {
        let now = Timestamp.now(clock)
        let cutoff = clock.milliseconds - Self.lostAfterMs
        let lost = try await database.prepare("""
            SELECT id, workspace_id, project_id, attempts FROM video_renders WHERE status IN ('queued', 'rendering') AND heartbeat_ms < ? ORDER BY heartbeat_ms LIMIT 100
            """).bind(cutoff).all()
        var again: [String] = []
        for row in lost {
            guard let id = row.text("id"), let workspace = row.text("workspace_id") else { continue }
            if (row.integer("attempts") ?? 0) >= Int64(Self.maxAttempts) {
                try await database.transaction { tx in
                    if try tx.run("""
                        UPDATE video_renders SET status = 'failed', error_code = 'lost', error_message = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'rendering')
                        """, "no word from the renderer after \(Self.maxAttempts) attempts", now, id).changes == 1 {
                        try WorkspaceEvents.record(tx, [(TenantScope(workspaceID: workspace), "video.render_failed",
                                                         ["render_id": .string(id), "project_id": .string(row.text("project_id") ?? "")])], at: now)
                    }
                }
            } else if try await database.prepare("UPDATE video_renders SET heartbeat_ms = ? WHERE id = ? AND heartbeat_ms < ?")
                        .bind(clock.milliseconds, id, cutoff).run().changes == 1 {
                again.append(id)
            }
        }
        if !again.isEmpty { try await jobs.sendBatch(again.map { VideoRenderJob(renderID: $0).message }) }
    }
}

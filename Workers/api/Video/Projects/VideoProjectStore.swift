import OzziRuntime
import VideoTimeline

/// All SQL about projects, within the caller's workspace. A document is checked whole before it is stored,
/// its clips' assets included (each must be the workspace's, of a kind its track can play).
struct VideoProjectStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let nameLimit = 200

    func create(_ scope: TenantScope, name: String, project: VideoProject, createdBy: String?) async throws -> VideoProjectRecord {
        let id = ResourceID.make("vprj")
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try Self.checkAssets(tx, scope, project)
            try tx.run("""
                INSERT INTO video_projects (id, workspace_id, name, document, version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
                """, id, scope.workspaceID, name, project.json.jsonText, createdBy, now, now)
            try WorkspaceEvents.record(tx, [(scope, "video.project_created", ["project_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> VideoProjectRecord? {
        try await database.prepare(VideoProjectRecord.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(VideoProjectRecord.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [VideoProjectRecord] {
        try await database.prepare(VideoProjectRecord.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(VideoProjectRecord.self)
    }

    /// Stores a changed document (and name) if the project is still at `version`; nil when it is not.
    func update(_ scope: TenantScope, id: String, version: Int, name: String?, project: VideoProject) async throws -> VideoProjectRecord? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx in
            try Self.checkAssets(tx, scope, project)
            let changes = try tx.run("""
                UPDATE video_projects SET name = coalesce(?, name), document = ?, version = version + 1, updated_at = ?
                WHERE workspace_id = ? AND id = ? AND version = ?
                """, name, project.json.jsonText, now, scope.workspaceID, id, version).changes
            if changes == 1 { try WorkspaceEvents.record(tx, [(scope, "video.project_updated", ["project_id": .string(id)])], at: now) }
            return changes == 1
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// Deletes a project with its renders (their files go with the bucket garbage).
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            try tx.run("DELETE FROM video_renders WHERE workspace_id = ? AND project_id = ?", scope.workspaceID, id)
            let deleted = try tx.run("DELETE FROM video_projects WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1
            if deleted { try WorkspaceEvents.record(tx, [(scope, "video.project_deleted", ["project_id": .string(id)])], at: now) }
            return deleted
        }
    }

    /// Each clip's asset must be the workspace's and fit its track: a video track plays pictures (a video or
    /// an image), an image track a still, an audio track sound (from audio or a video with sound).
    static func checkAssets(_ tx: SQLTransaction, _ scope: TenantScope, _ project: VideoProject) throws {
        let ids = project.assetIDs
        guard !ids.isEmpty else { return }
        var kinds: [String: (kind: String, audio: Bool)] = [:]
        for row in try tx.all("SELECT id, kind, has_audio FROM video_assets WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements()))",
                              scope.workspaceID, SQLList.json(ids)) {
            if let id = row.text("id"), let kind = row.text("kind") { kinds[id] = (kind, (row.integer("has_audio") ?? 0) != 0) }
        }
        for (trackIndex, track) in project.tracks.enumerated() {
            for (clipIndex, clip) in track.clips.enumerated() {
                guard let assetID = clip.assetID else { continue }
                let field = "tracks[\(trackIndex)].clips[\(clipIndex)].asset_id"
                guard let asset = kinds[assetID] else { throw APIError.invalidField(field, "names no asset of this workspace ('\(assetID)')") }
                let fits = switch track.kind {
                case .video: asset.kind == "video" || asset.kind == "image"
                case .image: asset.kind == "image"
                case .audio: asset.audio
                case .text: false
                }
                guard fits else {
                    throw APIError.invalidField(field, "is \(asset.kind == "audio" ? "an" : "a") \(asset.kind) asset\(asset.kind == "video" && !asset.audio ? " without sound" : ""), which a\(track.kind == .audio || track.kind == .image ? "n" : "") \(track.kind.rawValue) track cannot play")
                }
            }
        }
    }
}

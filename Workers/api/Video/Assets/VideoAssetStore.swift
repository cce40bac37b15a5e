import OzziRuntime

/// All about assets: the upload (bytes to the bucket, probed there by video-render, then the row; a file
/// that is not media is deleted and refused), reads within the workspace, and deletion (the bytes go with
/// the bucket garbage).
struct VideoAssetStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let bucket: any Bucket
    let service: VideoService

    func upload(_ scope: TenantScope, name: String, contentType: String, body: RequestBodyStream, createdBy: String?) async throws -> VideoAsset {
        let id = ResourceID.make("vast")
        let key = VideoAsset.bucketKey(workspace: scope.workspaceID, id: id)
        let object = try await bucket.put(key, chunks: body, options: BucketPutOptions(contentType: contentType, customMetadata: ["name": name]))
        do {
            guard object.size > 0 else { throw APIError.invalidField("body", "the file is empty") }
            let probe = try await service.probe(key: key)
            let now = Timestamp.now(clock)
            try await database.transaction { tx in
                try tx.run("""
                    INSERT INTO video_assets (id, workspace_id, name, kind, content_type, size, duration, width, height, has_video, has_audio, bucket_key, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, id, scope.workspaceID, name, probe["kind"]?.stringValue ?? "video", contentType, object.size, probe["duration"]?.numberValue,
                    probe["width"]?.numberValue.map { Int($0) }, probe["height"]?.numberValue.map { Int($0) },
                    probe["has_video"]?.boolValue == true ? 1 : 0, probe["has_audio"]?.boolValue == true ? 1 : 0, key, createdBy, now)
                try WorkspaceEvents.record(tx, [(scope, "video.asset_created", ["asset_id": .string(id)])], at: now)
            }
        } catch {
            try? await bucket.delete(key)
            throw error
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> VideoAsset? {
        try await database.prepare(VideoAsset.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(VideoAsset.self)
    }

    func list(_ scope: TenantScope, kind: String?, page: PageRequest) async throws -> [VideoAsset] {
        try await database.prepare(VideoAsset.select + " WHERE workspace_id = ? AND kind = coalesce(?, kind) AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, kind, page.after ?? "", page.limit + 1).all(VideoAsset.self)
    }

    /// Deletes an asset no project uses (409 naming one that does).
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            // A document names its assets as "asset_id": "<id>"; ids are unique, so the text search is exact.
            if let user = try tx.all("SELECT id FROM video_projects WHERE workspace_id = ? AND document LIKE ? ORDER BY id LIMIT 1",
                                     scope.workspaceID, "%\"asset_id\":\"\(id)\"%").first?.text("id") {
                throw APIError.conflict("project \(user) uses this asset: take it out of the project first", details: ["project_id": .string(user)])
            }
            let deleted = try tx.run("DELETE FROM video_assets WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1
            if deleted { try WorkspaceEvents.record(tx, [(scope, "video.asset_deleted", ["asset_id": .string(id)])], at: now) }
            return deleted
        }
    }

    /// The bucket keys of `ids` (the workspace's), for a render.
    /// What a render needs of each asset: its bucket key, and what ffprobe found at upload (so the render
    /// does not probe it again), keyed by asset id. An id that is not the workspace's is absent.
    func forRender(_ scope: TenantScope, ids: [String]) async throws -> [String: JSONValue] {
        guard !ids.isEmpty else { return [:] }
        var assets: [String: JSONValue] = [:]
        for row in try await database.prepare("""
            SELECT id, bucket_key, kind, duration, width, height, has_video, has_audio FROM video_assets
            WHERE workspace_id = ? AND id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(scope.workspaceID, SQLList.json(ids)).all() {
            guard let id = row.text("id"), let key = row.text("bucket_key"), let kind = row.text("kind") else { continue }
            let number = { (column: String) -> JSONValue in row.double(column).map { .number($0) } ?? .null }
            assets[id] = ["key": .string(key), "probe": ["kind": .string(kind), "duration": number("duration"), "width": number("width"),
                                                         "height": number("height"), "has_video": .bool(row.integer("has_video") == 1),
                                                         "has_audio": .bool(row.integer("has_audio") == 1)]]
        }
        return assets
    }
}

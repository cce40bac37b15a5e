import OzziRuntime

/// All SQL about tracked businesses, always within the caller's workspace.
struct SEOBusinessStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    struct Input: Sendable {
        var name: String?
        var placeID: String?
        var cid: String?
        var latitude: Double?
        var longitude: Double?

        init(_ request: Request, creating: Bool) throws {
            let body = try JSONBody(request)
            name = try body.string("name", max: 200).map { String($0.trimmingPrefixAndSuffixSpaces()) }
            if creating || name != nil, name?.isEmpty != false { throw APIError.invalidField("name", "must not be blank") }
            placeID = try body.string("place_id", max: 300)
            cid = try body.string("cid", max: 30)
            latitude = body.fields["latitude"]?.numberValue
            longitude = body.fields["longitude"]?.numberValue
        }
    }

    func create(_ scope: TenantScope, _ input: Input) async throws -> SEOBusiness {
        guard input.placeID != nil || input.cid != nil else { throw APIError.invalidField("place_id", "give the place id or the cid (results are matched on them)") }
        let id = ResourceID.make("seob")
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO seo_businesses (id, workspace_id, name, place_id, cid, latitude, longitude, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, input.name ?? "", input.placeID, input.cid, input.latitude ?? 0, input.longitude ?? 0, now, now)
            try WorkspaceEvents.record(tx, [(scope, "seo.business_created", ["business_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> SEOBusiness? {
        try await database.prepare(SEOBusiness.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(SEOBusiness.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [SEOBusiness] {
        try await database.prepare(SEOBusiness.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(SEOBusiness.self)
    }

    func update(_ scope: TenantScope, id: String, _ input: Input) async throws -> SEOBusiness? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx in
            let changes = try tx.run("""
                UPDATE seo_businesses SET name = coalesce(?, name), place_id = coalesce(?, place_id), cid = coalesce(?, cid),
                latitude = coalesce(?, latitude), longitude = coalesce(?, longitude), updated_at = ? WHERE workspace_id = ? AND id = ?
                """, input.name, input.placeID, input.cid, input.latitude, input.longitude, now, scope.workspaceID, id).changes
            if changes == 1 { try WorkspaceEvents.record(tx, [(scope, "seo.business_updated", ["business_id": .string(id)])], at: now) }
            return changes == 1
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// Deletes it with its trackers and their scans.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM seo_businesses WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "seo.business_deleted", ["business_id": .string(id)])], at: now)
            return true
        }
    }
}

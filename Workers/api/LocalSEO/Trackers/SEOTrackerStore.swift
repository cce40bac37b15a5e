import OzziRuntime

/// All SQL about trackers, within the caller's workspace.
struct SEOTrackerStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    struct Input: Sendable {
        var businessID: String?
        var keywords: [String]?
        var grid: SEOTracker.Grid?
        var schedule: SEOTracker.Schedule?

        init(_ request: Request, creating: Bool) throws {
            let body = try JSONBody(request)
            businessID = try body.string("business_id", max: 64)
            if let given = body.fields["keywords"]?.arrayValue {
                var seen = Set<String>()
                let words = given.compactMap { $0.stringValue.map { String($0.trimmingPrefixAndSuffixSpaces()) } }
                guard !words.isEmpty, words.allSatisfy({ !$0.isEmpty }) else { throw APIError.invalidField("keywords", "must hold at least one keyword, none blank") }
                keywords = words.filter { seen.insert($0.lowercased()).inserted }
            }
            if let grid = body.fields["grid"] {
                let size = Int(grid["size"]?.numberValue ?? 0)
                guard size % 2 == 1 else { throw APIError.invalidField("grid.size", "must be odd, so the business is the centre point") }
                self.grid = SEOTracker.Grid(size: size, spacing: grid["spacing"]?.numberValue ?? 1, unit: grid["unit"]?.stringValue ?? "km",
                                            zoom: Int(grid["zoom"]?.numberValue ?? 13))
            }
            if let schedule = body.fields["schedule"] {
                let frequency = schedule["frequency"]?.stringValue ?? "none"
                let day = Int(schedule["day"]?.numberValue ?? (frequency == "weekly" ? 1 : 1))
                if frequency == "weekly", !(0...6).contains(day) { throw APIError.invalidField("schedule.day", "is a weekday for a weekly scan: 0 (Sunday) to 6") }
                if frequency == "monthly", !(1...28).contains(day) { throw APIError.invalidField("schedule.day", "is a day of the month for a monthly scan: 1 to 28") }
                self.schedule = SEOTracker.Schedule(frequency: frequency, day: day)
            }
        }
    }

    func create(_ scope: TenantScope, _ input: Input) async throws -> SEOTracker {
        let id = ResourceID.make("seot")
        let now = Timestamp.now(clock)
        let grid = input.grid!, schedule = input.schedule ?? SEOTracker.Schedule(frequency: "none", day: 1)
        try await database.transaction { tx in
            guard try tx.all("SELECT 1 AS x FROM seo_businesses WHERE workspace_id = ? AND id = ?", scope.workspaceID, input.businessID ?? "").first != nil else {
                throw APIError.invalidField("business_id", "is not a business of this workspace")
            }
            try tx.run("""
                INSERT INTO seo_trackers (id, workspace_id, business_id, keywords, grid_size, spacing, unit, zoom, frequency, schedule_day, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, input.businessID ?? "", SQLList.json(input.keywords ?? []), grid.size, grid.spacing, grid.unit, grid.zoom,
                schedule.frequency, schedule.day, now, now)
            try WorkspaceEvents.record(tx, [(scope, "seo.tracker_created", ["tracker_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> SEOTracker? {
        try await database.prepare(SEOTracker.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(SEOTracker.self)
    }

    func list(_ scope: TenantScope, businessID: String?, page: PageRequest) async throws -> [SEOTracker] {
        try await database.prepare(SEOTracker.select + " WHERE workspace_id = ? AND business_id = coalesce(?, business_id) AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, businessID, page.after ?? "", page.limit + 1).all(SEOTracker.self)
    }

    func update(_ scope: TenantScope, id: String, _ input: Input) async throws -> SEOTracker? {
        guard input.businessID == nil else { throw APIError.invalidField("business_id", "cannot change: make a tracker for the other business") }
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx in
            let changes = try tx.run("""
                UPDATE seo_trackers SET keywords = coalesce(?, keywords), grid_size = coalesce(?, grid_size), spacing = coalesce(?, spacing),
                unit = coalesce(?, unit), zoom = coalesce(?, zoom), frequency = coalesce(?, frequency), schedule_day = coalesce(?, schedule_day), updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """, input.keywords.map { SQLList.json($0) }, input.grid?.size, input.grid?.spacing, input.grid?.unit, input.grid?.zoom,
                input.schedule?.frequency, input.schedule?.day, now, scope.workspaceID, id).changes
            if changes == 1 { try WorkspaceEvents.record(tx, [(scope, "seo.tracker_updated", ["tracker_id": .string(id)])], at: now) }
            return changes == 1
        }
        return changed ? try await get(scope, id: id) : nil
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM seo_trackers WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "seo.tracker_deleted", ["tracker_id": .string(id)])], at: now)
            return true
        }
    }

    /// Every tracker (of every workspace) whose schedule runs on `day`, with its workspace.
    func due(day: Int) async throws -> [(TenantScope, SEOTracker)] {
        try await database.prepare("SELECT workspace_id, \(SEOTracker.selection) FROM seo_trackers WHERE frequency <> 'none' ORDER BY id")
            .all(ScheduledTracker.self)
            .filter { SEOTracker.isDue($0.tracker.schedule, day: day) }.map { ($0.scope, $0.tracker) }
    }
}

/// A tracker with its workspace, as the 06:00 run reads every workspace's at once.
struct ScheduledTracker: SQLRecord, Sendable {
    let scope: TenantScope
    let tracker: SEOTracker

    enum Columns: String, SQLColumn { case workspace_id }

    init(row: SQLRecordRow<Columns>) throws {
        scope = TenantScope(workspaceID: try row.decode(String.self, forKey: .workspace_id))
        tracker = try row.record(SEOTracker.self)
    }
}

import OzziRuntime

/// All SQL about scans: making one (its points written up front, so a crash loses none), reading it with
/// its progress and metrics, its grid, the competitors seen, and a tracker's trend.
struct SEOScanStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let jobs: any QueueProducer

    /// Makes a scan of `tracker` and queues it; a scheduled one at most once per tracker and day (nil when
    /// that day's exists already).
    func start(_ scope: TenantScope, _ tracker: SEOTracker, scheduledFor day: String? = nil) async throws -> SEOScan? {
        let id = ResourceID.make("seos")
        let now = Timestamp.now(clock)
        let made = try await database.transaction { tx -> Bool in
            guard let business = try tx.first(SEOBusiness.self, SEOBusiness.select + " WHERE workspace_id = ? AND id = ?", scope.workspaceID, tracker.business_id) else {
                throw APIError.notFound("business")
            }
            let settings: JSONValue = ["business": try JSONValueEncoder.encode(business), "grid": try JSONValueEncoder.encode(tracker.grid),
                                       "keywords": .array(tracker.keywords.map(JSONValue.string))]
            guard try tx.run("""
                INSERT INTO seo_scans (id, workspace_id, tracker_id, status, trigger, scheduled_for, settings, created_at)
                VALUES (?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, id, scope.workspaceID, tracker.id, day == nil ? "manual" : "scheduled", day,
                String(decoding: settings.jsonBytes, as: UTF8.self), now).changes == 1 else { return false }
            let points = tracker.grid.scanGrid.points(latitude: business.latitude, longitude: business.longitude)
            try tx.insert(into: "seo_scan_points", columns: ["scan_id", "keyword", "row_index", "col_index", "latitude", "longitude"],
                          rows: tracker.keywords.flatMap { keyword in
                              points.map { [.text(id), .text(keyword), .integer(Int64($0.row)), .integer(Int64($0.col)), .real($0.latitude), .real($0.longitude)] }
                          })
            try WorkspaceEvents.record(tx, [(scope, "seo.scan_queued", ["scan_id": .string(id), "tracker_id": .string(tracker.id)])], at: now)
            return true
        }
        guard made else { return nil }
        try await jobs.sendBatch([SEOScanJob(scanID: id).message])
        return try await get(scope, id: id)
    }

    /// Queues again a scan still queued five minutes after it was made (its job was lost between the commit
    /// and the send: the runner marks a scan running as it starts).
    func requeueLost(nowMs: Int64) async throws {
        let ids = try await database.prepare("SELECT id FROM seo_scans WHERE status = 'queued' AND created_at < ? ORDER BY id LIMIT 100")
            .bind(Timestamp.at(milliseconds: nowMs - 300_000)).all().compactMap { $0.text("id") }
        if !ids.isEmpty { try await jobs.sendBatch(ids.map { SEOScanJob(scanID: $0).message }) }
    }

    func get(_ scope: TenantScope, id: String) async throws -> SEOScan? {
        try await withDetails(try await database.prepare(SEOScan.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id)
            .all(SEOScan.self)).first
    }

    func list(_ scope: TenantScope, trackerID: String?, page: PageRequest) async throws -> [SEOScan] {
        try await withDetails(try await database.prepare(SEOScan.select + """
             WHERE workspace_id = ? AND tracker_id = coalesce(?, tracker_id) AND id > ? ORDER BY id LIMIT ?
            """).bind(scope.workspaceID, trackerID, page.after ?? "", page.limit + 1).all(SEOScan.self))
    }

    /// A tracker's newest scan, whatever its state (ids grow with time).
    func latest(_ scope: TenantScope, trackerID: String) async throws -> SEOScan? {
        try await withDetails(try await database.prepare(SEOScan.select + " WHERE workspace_id = ? AND tracker_id = ? ORDER BY id DESC LIMIT 1")
            .bind(scope.workspaceID, trackerID).all(SEOScan.self)).first
    }

    /// Fills in each scan's progress and metrics: one query for each, whatever the number of scans.
    private func withDetails(_ scans: [SEOScan]) async throws -> [SEOScan] {
        guard !scans.isEmpty else { return scans }
        let ids = SQLList.json(scans.map(\.id))
        let counts = try await database.prepare("""
            SELECT scan_id, count(*) AS total, coalesce(sum(done), 0) AS done FROM seo_scan_points
            WHERE scan_id IN (SELECT value FROM \(database.dialect.elements())) GROUP BY scan_id
            """).bind(ids).all()
        let progress = Dictionary(uniqueKeysWithValues: counts.compactMap { row in
            row.text("scan_id").map { ($0, SEOScan.Progress(done: Int(row.integer("done") ?? 0), total: Int(row.integer("total") ?? 0))) }
        })
        let metrics = Dictionary(grouping: try await database.prepare("""
            SELECT scan_id, keyword, points, found, arp, atrp, solv FROM seo_scan_metrics
            WHERE scan_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY scan_id, keyword
            """).bind(ids).all(ScanKeywordMetrics.self), by: \.scanID)
        return scans.map { scan in
            var scan = scan
            scan.progress = progress[scan.id] ?? SEOScan.Progress(done: 0, total: 0)
            scan.metrics = metrics[scan.id]?.map(\.metrics) ?? []
            return scan
        }
    }

    /// The scan's points for one keyword, row by row.
    func points(_ scan: SEOScan, keyword: String) async throws -> [ScanPoint] {
        try await database.prepare("""
            SELECT row_index, col_index, latitude, longitude, done, rank, places FROM seo_scan_points WHERE scan_id = ? AND keyword = ?
            ORDER BY row_index, col_index
            """).bind(scan.id, keyword).all(ScanPoint.self)
    }

    /// A tracker's finished scans' metrics for `keyword`, oldest first.
    func trend(_ scope: TenantScope, trackerID: String, keyword: String, limit: Int) async throws -> [TrendPoint] {
        try await database.prepare("""
            SELECT m.scan_id, m.finished_at, m.points, m.found, m.arp, m.atrp, m.solv FROM seo_scan_metrics m JOIN seo_scans s ON s.id = m.scan_id
            WHERE s.workspace_id = ? AND m.tracker_id = ? AND m.keyword = ? ORDER BY m.finished_at DESC LIMIT ?
            """).bind(scope.workspaceID, trackerID, keyword, limit).all(TrendPoint.self).reversed()
    }
}

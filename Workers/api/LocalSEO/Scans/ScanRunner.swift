import Logging
import OzziRuntime

/// Runs a scan: every point not searched yet, at most `concurrency` searches at once, each point's answer
/// written as it comes (so a scan that stops half-way — a crash, a deploy — resumes where it was when its
/// job runs again). A provider that refuses the key fails the scan at once; a point that fails after its
/// retry fails it too (its finished points stay). When every point is in, the metrics are written.
struct ScanRunner: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let provider: any MapsSearchProvider
    let concurrency: Int
    let logger: Logger

    /// Pages asked at most per point: enough for 20 places whatever a page holds.
    static let maxPages = 4
    static let deepestRank = 20

    func run(_ job: SEOScanJob) async throws {
        guard let scan = try await database.prepare(SEOScan.select + " WHERE id = ?").bind(job.scanID).first(SEOScan.self),
              ["queued", "running"].contains(scan.status) else { return }
        try await database.prepare("UPDATE seo_scans SET status = 'running', started_at = coalesce(started_at, ?) WHERE id = ?")
            .bind(Timestamp.now(clock), scan.id).run()
        let pending = try await database.prepare("""
            SELECT keyword, row_index, col_index, latitude, longitude FROM seo_scan_points WHERE scan_id = ? AND done = 0 ORDER BY keyword, row_index, col_index
            """).bind(scan.id).all(PendingPoint.self)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for point in pending {
                    if running == concurrency {
                        try await group.next()
                        running -= 1
                    }
                    running += 1
                    group.addTask {
                        try await search(scan, point)
                    }
                }
                try await group.waitForAll()
            }
        } catch let error as MapsSearchError {
            try await fail(scan, error.description)
            return
        }
        try await finish(scan)
    }

    /// One point: pages until the business is found or 20 places have answered.
    private func search(_ scan: SEOScan, _ point: PendingPoint) async throws {
        var places: [MapsPlace] = []
        var pages = 0
        var rank: Int?
        for page in 1...Self.maxPages {
            let answer = try await provider.search(MapsQuery(keyword: point.keyword, latitude: point.latitude, longitude: point.longitude, zoom: scan.zoom, page: page,
                                                             target: scan.target))
            pages += 1
            places += answer.filter { $0.position <= Self.deepestRank }
            rank = places.first(where: scan.target.matches)?.position
            if rank != nil || answer.isEmpty || (places.last?.position ?? 0) >= Self.deepestRank { break }
        }
        let (found, seen, used) = (rank, String(decoding: JSONValue.array(places.map(\.json)).jsonBytes, as: UTF8.self), pages)
        try await database.transaction { tx in
            try tx.run("UPDATE seo_scan_points SET done = 1, rank = ?, places = ? WHERE scan_id = ? AND keyword = ? AND row_index = ? AND col_index = ?",
                       found, seen, scan.id, point.keyword,
                       point.row_index, point.col_index)
            try tx.run("UPDATE seo_scans SET searches_used = searches_used + ? WHERE id = ?", used, scan.id)
        }
    }

    private func finish(_ scan: SEOScan) async throws {
        let now = Timestamp.now(clock)
        let rows = try await database.prepare("SELECT keyword, rank FROM seo_scan_points WHERE scan_id = ? ORDER BY keyword").bind(scan.id).all()
        let byKeyword = Dictionary(grouping: rows) { $0.text("keyword") ?? "" }
        try await database.transaction { tx in
            guard try tx.run("UPDATE seo_scans SET status = 'finished', finished_at = ? WHERE id = ? AND status = 'running'", now, scan.id).changes == 1 else { return }
            for (keyword, points) in byKeyword.sorted(by: { $0.key < $1.key }) {
                let metrics = RankMetrics(ranks: points.map { $0.integer("rank").map { Int($0) } })
                try tx.run("""
                    INSERT INTO seo_scan_metrics (scan_id, tracker_id, keyword, points, found, arp, atrp, solv, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, scan.id, scan.tracker_id, keyword, metrics.points, metrics.found, metrics.arp, metrics.atrp, metrics.solv, now)
            }
            try WorkspaceEvents.record(tx, [(try Self.scope(tx, scan), "seo.scan_finished", ["scan_id": .string(scan.id), "tracker_id": .string(scan.tracker_id)])], at: now)
        }
    }

    private func fail(_ scan: SEOScan, _ why: String) async throws {
        logger.warning("seo scan failed", metadata: ["scan": "\(scan.id)", "why": "\(why)"])
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            guard try tx.run("UPDATE seo_scans SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'", why, now, scan.id).changes == 1 else { return }
            try WorkspaceEvents.record(tx, [(try Self.scope(tx, scan), "seo.scan_failed", ["scan_id": .string(scan.id), "error": .string(why)])], at: now)
        }
    }

    private static func scope(_ tx: SQLTransaction, _ scan: SEOScan) throws -> TenantScope {
        TenantScope(workspaceID: try tx.all("SELECT workspace_id FROM seo_scans WHERE id = ?", scan.id).first?.text("workspace_id") ?? "")
    }
}

/// A point still to search.
struct PendingPoint: Codable, SQLRecord, Sendable {
    let keyword: String
    let row_index: Int
    let col_index: Int
    let latitude: Double
    let longitude: Double

    enum CodingKeys: String, SQLColumn { case keyword, row_index, col_index, latitude, longitude }
    typealias Columns = CodingKeys
}

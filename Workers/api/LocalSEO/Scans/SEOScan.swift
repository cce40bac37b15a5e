import OzziRuntime

/// One run of a tracker: each keyword searched at each grid point. Its settings are the business and grid
/// as they were when it was made (a later change to the tracker does not alter a scan's meaning).
struct SEOScan: Encodable, SQLRecord, Sendable {
    let id: String
    let tracker_id: String
    let status: String
    let trigger: String
    let scheduled_for: String?
    let settings: JSONValue
    let searches_used: Int
    let error: String?
    let created_at: String
    let started_at: String?
    let finished_at: String?
    var progress: Progress = Progress(done: 0, total: 0)
    var metrics: [KeywordMetrics] = []

    struct Progress: Encodable, Sendable {
        let done: Int
        let total: Int
    }

    enum Columns: String, SQLColumn {
        case id, tracker_id, status, trigger, scheduled_for, settings, searches_used, error, created_at, started_at, finished_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        tracker_id = try row.decode(String.self, forKey: .tracker_id)
        status = try row.decode(String.self, forKey: .status)
        trigger = try row.decode(String.self, forKey: .trigger)
        scheduled_for = try row.decodeIfPresent(String.self, forKey: .scheduled_for)
        settings = (try? JSONValue(jsonBytes: Array(try row.decode(String.self, forKey: .settings).utf8))) ?? .object([:])
        searches_used = try row.decode(Int.self, forKey: .searches_used)
        error = try row.decodeIfPresent(String.self, forKey: .error)
        created_at = try row.decode(String.self, forKey: .created_at)
        started_at = try row.decodeIfPresent(String.self, forKey: .started_at)
        finished_at = try row.decodeIfPresent(String.self, forKey: .finished_at)
    }

    static let select = """
        SELECT id, tracker_id, status, trigger, scheduled_for, settings, searches_used, error, created_at, started_at, finished_at FROM seo_scans
        """

    /// The business it looks for and the grid, from its settings.
    var target: MapsTarget {
        let b = settings["business"]
        return MapsTarget(name: b?["name"]?.stringValue ?? "", placeID: b?["place_id"]?.stringValue, cid: b?["cid"]?.stringValue,
                          latitude: b?["latitude"]?.numberValue ?? 0, longitude: b?["longitude"]?.numberValue ?? 0)
    }

    var zoom: Int { Int(settings["grid"]?["zoom"]?.numberValue ?? 13) }
    var gridSize: Int { Int(settings["grid"]?["size"]?.numberValue ?? 0) }
}

/// A keyword's metrics in a finished scan (see `RankMetrics` for the formulas).
struct KeywordMetrics: Codable, SQLRecord, Sendable {
    let keyword: String
    let points: Int
    let found: Int
    let arp: Double?
    let atrp: Double
    let solv: Double

    enum CodingKeys: String, SQLColumn { case keyword, points, found, arp, atrp, solv }
    typealias Columns = CodingKeys
}

/// A keyword's metrics with the scan they belong to, as a page of scans reads them in one query.
struct ScanKeywordMetrics: SQLRecord, Sendable {
    let scanID: String
    let metrics: KeywordMetrics

    enum Columns: String, SQLColumn { case scan_id }

    init(row: SQLRecordRow<Columns>) throws {
        scanID = try row.decode(String.self, forKey: .scan_id)
        metrics = try row.record(KeywordMetrics.self)
    }
}

extension SEOScan: APIModel {
    static let schemaName = "SEOScan"
    static let statuses = ["queued", "running", "finished", "failed"]
    static let schema = Schema.object([
        .required("id", Schema.string().example("seos_01jd3k5v7n0000000000000000")),
        .required("tracker_id", .string()),
        .required("status", Schema.oneOf(statuses)),
        .required("trigger", Schema.oneOf(["manual", "scheduled"])),
        .optional("scheduled_for", CivilDate.schema.described("A scheduled scan's day")),
        .required("settings", Schema.object([
            .required("business", .model(SEOBusiness.self)),
            .required("grid", SEOTracker.gridSchema),
            .required("keywords", .array(.string())),
        ], closed: true).described("The business, grid and keywords as they were when the scan was made")),
        .required("searches_used", Schema.integer(min: 0).described("Provider searches made: the scan's cost")),
        .optional("error", Schema.string().described("Why it failed")),
        .required("created_at", .timestamp),
        .optional("started_at", .timestamp),
        .optional("finished_at", .timestamp),
        .required("progress", Schema.object([.required("done", .integer(min: 0)), .required("total", .integer(min: 0))], closed: true)
            .described("Grid points searched so far, of all (keywords x points)")),
        .required("metrics", Schema.array(.model(KeywordMetrics.self)).described("Per keyword, once finished")),
    ], closed: true)
}

extension KeywordMetrics: APIModel {
    static let schemaName = "SEOKeywordMetrics"
    static let schema = Schema.object([
        .required("keyword", Schema.string().example("pizza near me")),
        .required("points", .integer(min: 0)),
        .required("found", Schema.integer(min: 0).described("Points where the business ranked 1-20")),
        .optional("arp", Schema.number(1...20).described("Average rank position: the mean rank where found (absent if found nowhere)")),
        .required("atrp", Schema.number(1...21).described("Average total rank position: the mean over all points, not found counting as 21")),
        .required("solv", Schema.number(0...100).described("Share of local voice: the percentage of points ranking 1-3")),
    ], closed: true)
}

import OzziRuntime

/// A business's keywords searched over a grid around it, on a schedule: what a scan runs.
struct SEOTracker: Encodable, SQLRecord, Sendable {
    let id: String
    let business_id: String
    let keywords: [String]
    let grid: Grid
    let schedule: Schedule
    let created_at: String
    let updated_at: String

    struct Grid: Codable, Sendable, Equatable {
        let size: Int
        let spacing: Double
        let unit: String
        let zoom: Int

        var scanGrid: ScanGrid { ScanGrid(size: size, spacing: spacing, unit: unit, zoom: zoom) }
    }

    struct Schedule: Codable, Sendable, Equatable {
        let frequency: String
        /// Weekly: 0 (Sunday) to 6; monthly: 1 to 28; unused otherwise.
        let day: Int
    }

    enum Columns: String, SQLColumn { case id, business_id, keywords, grid_size, spacing, unit, zoom, frequency, schedule_day, created_at, updated_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        business_id = try row.decode(String.self, forKey: .business_id)
        keywords = ((try? JSONValue(jsonBytes: Array(try row.decode(String.self, forKey: .keywords).utf8)))?.arrayValue ?? []).compactMap(\.stringValue)
        grid = Grid(size: try row.decode(Int.self, forKey: .grid_size), spacing: try row.decode(Double.self, forKey: .spacing),
                    unit: try row.decode(String.self, forKey: .unit), zoom: try row.decode(Int.self, forKey: .zoom))
        schedule = Schedule(frequency: try row.decode(String.self, forKey: .frequency), day: try row.decode(Int.self, forKey: .schedule_day))
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
    }

    static let select = "SELECT \(selection) FROM seo_trackers"

    static let frequencies = ["none", "daily", "weekly", "monthly"]
    static let units = ["km", "mi"]
    static let keywordLimit = 20

    /// Whether a schedule runs on `day` (days since 1970-01-01, UTC): daily always, weekly on its weekday,
    /// monthly on its day of the month.
    static func isDue(_ schedule: Schedule, day: Int) -> Bool {
        switch schedule.frequency {
        case "daily": return true
        case "weekly": return ((day % 7) + 11) % 7 == schedule.day  // 1970-01-01 was a Thursday (4)
        case "monthly": return CivilDate.civil(fromDays: day).2 == schedule.day
        default: return false
        }
    }
}

extension SEOTracker: APIModel {
    static let schemaName = "SEOTracker"
    static let gridSchema = Schema.object([
        .required("size", Schema.integer(ScanGrid.sizes).described("N: an N x N grid centred on the business (odd)").example(7)),
        .required("spacing", Schema.number(0.05...50).described("Between neighbouring points, in unit").example(1)),
        .required("unit", Schema.oneOf(units)),
        .required("zoom", Schema.integer(ScanGrid.zooms).described("The map zoom each search is made at").example(13)),
    ], closed: true)
    static let scheduleSchema = Schema.object([
        .required("frequency", Schema.oneOf(frequencies).described("Scheduled scans run at 06:00 UTC")),
        .optional("day", Schema.integer(0...28).described("weekly: 0 (Sunday) to 6; monthly: 1 to 28")),
    ], closed: true)
    static let schema = Schema.object([
        .required("id", Schema.string().example("seot_01jd3k5v7n0000000000000000")),
        .required("business_id", .string()),
        .required("keywords", Schema.array(Schema.string(), max: keywordLimit)),
        .required("grid", gridSchema),
        .required("schedule", scheduleSchema),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)

    static func input(creating: Bool) -> Schema {
        let keywords = Schema.array(Schema.string(min: 1, max: 100).example("pizza near me"), max: keywordLimit)
        return .object([
            creating ? .required("business_id", Schema.string(min: 1, max: 64)) : .optional("business_id", Schema.string(min: 1, max: 64)),
            creating ? .required("keywords", keywords) : .optional("keywords", keywords),
            creating ? .required("grid", gridSchema) : .optional("grid", gridSchema),
            .optional("schedule", scheduleSchema),
        ], closed: true)
    }
}

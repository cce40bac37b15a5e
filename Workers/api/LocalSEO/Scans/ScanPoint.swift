import OzziRuntime

/// One grid point of a scan for one keyword: where, whether searched yet, the business's rank (nil: not in
/// the first 20), and the places that answered.
struct ScanPoint: Encodable, SQLRecord, Sendable {
    let row: Int
    let col: Int
    let latitude: Double
    let longitude: Double
    let done: Bool
    let rank: Int?
    let places: [JSONValue]

    enum Columns: String, SQLColumn { case row_index, col_index, latitude, longitude, done, rank, places }

    init(row: Int, col: Int, latitude: Double = 0, longitude: Double = 0, done: Bool, rank: Int?, places: [JSONValue] = []) {
        self.row = row
        self.col = col
        self.latitude = latitude
        self.longitude = longitude
        self.done = done
        self.rank = rank
        self.places = places
    }

    init(row record: SQLRecordRow<Columns>) throws {
        row = try record.decode(Int.self, forKey: .row_index)
        col = try record.decode(Int.self, forKey: .col_index)
        latitude = try record.decode(Double.self, forKey: .latitude)
        longitude = try record.decode(Double.self, forKey: .longitude)
        done = try record.decode(Int.self, forKey: .done) != 0
        rank = try record.decodeIfPresent(Int.self, forKey: .rank)
        places = (try? JSONValue(jsonBytes: Array(try record.decode(String.self, forKey: .places).utf8)))?.arrayValue ?? []
    }
}

extension ScanPoint: APIModel {
    static let schemaName = "SEOScanPoint"
    static let schema = Schema.object([
        .required("row", Schema.integer(min: 0).described("0 is the northernmost row")),
        .required("col", Schema.integer(min: 0).described("0 is the westernmost column")),
        .required("latitude", .number(-90...90)),
        .required("longitude", .number(-180...180)),
        .required("done", Schema.boolean.described("Whether it has been searched")),
        .optional("rank", Schema.integer(1...20).described("The business's rank here; absent when not in the first 20")),
        .required("places", Schema.array(Schema.object([
            .required("position", .integer(min: 1)), .required("title", .string()), .optional("cid", .string()), .optional("place_id", .string()),
            .optional("rating", .number()), .optional("reviews", .integer(min: 0)),
        ], closed: true)).described("The places that answered, in rank order (the first 20)")),
    ], closed: true)
}

/// One finished scan in a keyword's trend.
struct TrendPoint: Codable, SQLRecord, Sendable {
    let scan_id: String
    let finished_at: String
    let points: Int
    let found: Int
    let arp: Double?
    let atrp: Double
    let solv: Double

    enum CodingKeys: String, SQLColumn { case scan_id, finished_at, points, found, arp, atrp, solv }
    typealias Columns = CodingKeys
}

extension TrendPoint: APIModel {
    static let schemaName = "SEOTrendPoint"
    static let schema = Schema.object([
        .required("scan_id", .string()), .required("finished_at", .timestamp), .required("points", .integer(min: 0)), .required("found", .integer(min: 0)),
        .optional("arp", .number(1...20)), .required("atrp", .number(1...21)), .required("solv", .number(0...100)),
    ], closed: true)
}

import OzziRuntime

/// A CSV import's report.
struct ContactImport: Encodable, Sendable, Equatable {
    struct Rejection: Codable, SQLRecord, Sendable, Equatable {
        let line: Int
        let reason: String
        enum CodingKeys: String, SQLColumn { case line, reason }
        typealias Columns = CodingKeys
    }

    let id: String
    let status: String
    let on_duplicate: String
    let rows: Int
    let created: Int
    let updated: Int
    let skipped: Int
    /// Read apart from the import's own row (`contact_import_rejections`).
    var rejected: [Rejection]
    let error: String?
    let created_at: String
    let finished_at: String?
}

extension ContactImport: SQLRecord {
    enum Columns: String, SQLColumn { case id, status, on_duplicate, rows, created, updated, skipped, error, created_at, finished_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        status = try row.decode(String.self, forKey: .status)
        on_duplicate = try row.decode(String.self, forKey: .on_duplicate)
        rows = try row.decode(Int.self, forKey: .rows)
        created = try row.decode(Int.self, forKey: .created)
        updated = try row.decode(Int.self, forKey: .updated)
        skipped = try row.decode(Int.self, forKey: .skipped)
        rejected = []
        error = try row.decodeIfPresent(String.self, forKey: .error)
        created_at = try row.decode(String.self, forKey: .created_at)
        finished_at = try row.decodeIfPresent(String.self, forKey: .finished_at)
    }
}

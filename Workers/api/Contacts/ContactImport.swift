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
    let rejected: [Rejection]
    let error: String?
    let created_at: String
    let finished_at: String?
}

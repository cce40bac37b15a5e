import OzziRuntime

/// A reusable message body with variables.
struct Template: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let category: String
    let body: String
    /// Messages that used it (counted by messaging; a sent message keeps the text it was sent with).
    let usage_count: Int
    let created_at: String
    let updated_at: String
    enum CodingKeys: String, SQLColumn { case id, name, category, body, usage_count, created_at, updated_at }
    typealias Columns = CodingKeys
}

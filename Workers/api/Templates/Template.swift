/// A reusable message body with variables.
struct Template: Codable, Sendable, Equatable {
    let id: String
    let name: String
    let category: String
    let body: String
    /// Messages that used it (counted by messaging; a sent message keeps the text it was sent with).
    let usage_count: Int
    let created_at: String
    let updated_at: String
}

import OzziRuntime

/// A reusable message with variables: an SMS body, or an email's subject, HTML and text.
struct Template: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    let category: String
    /// `sms` or `email`.
    let channel: String
    /// The SMS text; empty for an email template.
    let body: String
    let subject: String?
    let html: String?
    /// The email's own text part; nil when it is derived from the HTML.
    let text: String?
    /// Messages that used it (counted by messaging; a sent message keeps the text it was sent with).
    let usage_count: Int
    let created_at: String
    let updated_at: String
    enum CodingKeys: String, SQLColumn { case id, name, category, channel, body, subject, html, text, usage_count, created_at, updated_at }
    typealias Columns = CodingKeys

    static let channels = ["sms", "email"]
}

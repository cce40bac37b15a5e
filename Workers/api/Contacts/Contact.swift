import OzziRuntime

/// A person in a workspace's address book.
struct Contact: Encodable, Sendable, Equatable {
    let id: String
    let name: String
    let first_name: String
    let last_name: String
    let phone: String
    let email: String?
    let notes: String
    let custom_fields: JSONValue
    let source: String
    let sms_consent: Consent
    let created_at: String
    let updated_at: String

    /// SMS consent: its state, and when and how it last changed.
    struct Consent: Codable, Sendable, Equatable {
        let status: String
        let changed_at: String?
        let method: String?
    }

    static let sources = ["api", "import", "form", "widget", "voice", "sms"]
    static let consentStates = ["unknown", "opted_in", "opted_out"]

    init(row: SQLRow) {
        id = row.text("id") ?? ""
        name = row.text("name") ?? ""
        first_name = row.text("first_name") ?? ""
        last_name = row.text("last_name") ?? ""
        phone = row.text("phone") ?? ""
        email = row.text("email")
        notes = row.text("notes") ?? ""
        custom_fields = (try? JSONValue(jsonBytes: Array((row.text("custom_fields") ?? "{}").utf8))) ?? .object([:])
        source = row.text("source") ?? "api"
        sms_consent = Consent(status: row.text("sms_consent") ?? "unknown", changed_at: row.text("sms_consent_at"),
                              method: row.text("sms_consent_method"))
        created_at = row.text("created_at") ?? ""
        updated_at = row.text("updated_at") ?? ""
    }
}

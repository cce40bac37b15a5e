import OzziRuntime

/// A person in a workspace's address book.
struct Contact: Encodable, Sendable, Equatable {
    let id: String
    let name: String
    let first_name: String
    let last_name: String
    /// E.164; nil for a contact known only by its email address (a contact has at least one of them).
    let phone: String?
    let email: String?
    let notes: String
    let custom_fields: JSONValue
    let source: String
    let sms_consent: Consent
    /// A default, so contacts built in code before email existed still build.
    var email_consent = Consent(status: "unknown", changed_at: nil, method: nil)
    let created_at: String
    let updated_at: String

    /// Consent to SMS or email: its state, and when and how it last changed.
    struct Consent: Codable, Sendable, Equatable {
        let status: String
        let changed_at: String?
        let method: String?
    }

    static let sources = ["api", "import", "form", "widget", "voice", "sms"]
    static let consentStates = ["unknown", "opted_in", "opted_out"]
}

extension Contact: SQLRecord {
    /// The columns of a contact; consent is three of them.
    enum Columns: String, SQLColumn {
        case id, name, first_name, last_name, phone, email, notes, custom_fields, source
        case sms_consent, sms_consent_at, sms_consent_method, email_consent, email_consent_at, email_consent_method, created_at, updated_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        name = try row.decode(String.self, forKey: .name)
        first_name = try row.decode(String.self, forKey: .first_name)
        last_name = try row.decode(String.self, forKey: .last_name)
        phone = try row.decodeIfPresent(String.self, forKey: .phone)
        email = try row.decodeIfPresent(String.self, forKey: .email)
        notes = try row.decode(String.self, forKey: .notes)
        custom_fields = try row.decode(JSONValue.self, forKey: .custom_fields)
        source = try row.decode(String.self, forKey: .source)
        sms_consent = Consent(status: try row.decode(String.self, forKey: .sms_consent),
                              changed_at: try row.decodeIfPresent(String.self, forKey: .sms_consent_at),
                              method: try row.decodeIfPresent(String.self, forKey: .sms_consent_method))
        email_consent = Consent(status: try row.decode(String.self, forKey: .email_consent),
                                changed_at: try row.decodeIfPresent(String.self, forKey: .email_consent_at),
                                method: try row.decodeIfPresent(String.self, forKey: .email_consent_method))
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
    }
}

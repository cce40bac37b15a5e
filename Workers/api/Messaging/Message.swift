import OzziRuntime

/// A scheduled SMS as the API answers it; `timeline` is filled for a single message.
struct Message: Encodable, Sendable {
    let id: String
    let contact_id: String?
    let to: String
    let template_id: String?
    /// The custom text it was scheduled with (nil when it uses a template).
    let body: String?
    /// The exact text handed to the provider, once it was.
    let sent_text: String?
    let scheduled_at: String
    let time_zone: String?
    let category: String
    let campaign: String?
    let status: MessageStatus
    let attempts: Int
    let provider: String?
    let provider_message_id: String?
    let error: ErrorInfo?
    let sent_at: String?
    let delivered_at: String?
    let created_at: String
    let updated_at: String
    var timeline: [MessageEvent]?

    struct ErrorInfo: Encodable, Sendable, Equatable {
        let code: String
        let message: String
    }

    static let columns = """
        id, contact_id, to_phone, template_id, body, sent_text, scheduled_at, time_zone, category, campaign, status, attempts,
        provider, provider_message_id, error_code, error_message, sent_at, delivered_at, created_at, updated_at
        """

    init(row: SQLRow) {
        id = row.text("id") ?? ""
        contact_id = row.text("contact_id")
        to = row.text("to_phone") ?? ""
        template_id = row.text("template_id")
        body = row.text("body")
        sent_text = row.text("sent_text")
        scheduled_at = row.text("scheduled_at") ?? ""
        time_zone = row.text("time_zone")
        category = row.text("category") ?? "general"
        campaign = row.text("campaign")
        status = MessageStatus(rawValue: row.text("status") ?? "") ?? .pending
        attempts = Int(row.integer("attempts") ?? 0)
        provider = row.text("provider")
        provider_message_id = row.text("provider_message_id")
        error = row.text("error_code").map { ErrorInfo(code: $0, message: row.text("error_message") ?? "") }
        sent_at = row.text("sent_at")
        delivered_at = row.text("delivered_at")
        created_at = row.text("created_at") ?? ""
        updated_at = row.text("updated_at") ?? ""
    }
}

/// One line of a message's timeline: an attempt (started, then its result) or a status reached.
struct MessageEvent: Codable, Sendable, Equatable {
    let at: String
    let kind: String
    let result: String
    let provider: String?
    let provider_message_id: String?
    let error_code: String?
    let error_message: String?
}

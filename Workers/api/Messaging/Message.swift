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
}

extension Message: SQLRecord {
    /// The columns of a message; `to` is `to_phone`, `error` is two of them.
    enum Columns: String, SQLColumn {
        case id, contact_id, to_phone, template_id, body, sent_text, scheduled_at, time_zone, category, campaign, status, attempts
        case provider, provider_message_id, error_code, error_message, sent_at, delivered_at, created_at, updated_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        contact_id = try row.decodeIfPresent(String.self, forKey: .contact_id)
        to = try row.decode(String.self, forKey: .to_phone)
        template_id = try row.decodeIfPresent(String.self, forKey: .template_id)
        body = try row.decodeIfPresent(String.self, forKey: .body)
        sent_text = try row.decodeIfPresent(String.self, forKey: .sent_text)
        scheduled_at = try row.decode(String.self, forKey: .scheduled_at)
        time_zone = try row.decodeIfPresent(String.self, forKey: .time_zone)
        category = try row.decode(String.self, forKey: .category)
        campaign = try row.decodeIfPresent(String.self, forKey: .campaign)
        status = try row.decode(MessageStatus.self, forKey: .status)
        attempts = try row.decode(Int.self, forKey: .attempts)
        provider = try row.decodeIfPresent(String.self, forKey: .provider)
        provider_message_id = try row.decodeIfPresent(String.self, forKey: .provider_message_id)
        let errorCode = try row.decodeIfPresent(String.self, forKey: .error_code)
        let errorMessage = try row.decodeIfPresent(String.self, forKey: .error_message)
        error = errorCode.map { ErrorInfo(code: $0, message: errorMessage ?? "") }
        sent_at = try row.decodeIfPresent(String.self, forKey: .sent_at)
        delivered_at = try row.decodeIfPresent(String.self, forKey: .delivered_at)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        timeline = nil
    }
}

/// One line of a message's timeline: an attempt, written with its outcome (`accepted`, `transient`,
/// `permanent`, `unknown`, or `not_sent` when its host stopped before calling), or a status reached.
struct MessageEvent: Codable, SQLRecord, Sendable, Equatable {
    let at: String
    let kind: String
    let result: String
    let provider: String?
    let provider_message_id: String?
    let error_code: String?
    let error_message: String?
    enum CodingKeys: String, SQLColumn { case at, kind, result, provider, provider_message_id, error_code, error_message }
    typealias Columns = CodingKeys
}

import OzziRuntime

/// An email as the API answers it: a message of the `email` channel with its content's sender and
/// subject; `timeline` is filled for a single email.
struct Email: Encodable, Sendable {
    let id: String
    let contact_id: String?
    let to: String
    let from: String
    let reply_to: String?
    /// The subject given, or the rendered one once sent (a template's is rendered per recipient).
    let subject: String?
    let template_id: String?
    let tags: [EmailTag]
    let scheduled_at: String
    let time_zone: String?
    let status: EmailStatus
    let campaign_id: String?
    /// The recurring send it is an occurrence of.
    let series_id: String?
    let attempts: Int
    let provider: String?
    let provider_message_id: String?
    let error: Message.ErrorInfo?
    let sent_at: String?
    let delivered_at: String?
    let created_at: String
    let updated_at: String
    var timeline: [MessageEvent]?
}

extension Email: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, contact_id, to_phone, from_address, reply_to, subject, sent_text, template_id, tags, scheduled_at, time_zone, status, email_status
        case campaign_id, series_id, attempts, provider, provider_message_id, error_code, error_message, sent_at, delivered_at, created_at, updated_at
    }

    /// The columns as `EmailStore` selects them: the message's as `m.`, its content's as `c.`.
    static let joinedSelection = """
        m.id, m.contact_id, m.to_phone, c.from_address, c.reply_to, c.subject, m.sent_text, c.template_id, c.tags, m.scheduled_at, m.time_zone, \
        m.status, m.email_status, m.campaign_id, m.series_id, m.attempts, m.provider, m.provider_message_id, m.error_code, m.error_message, m.sent_at, \
        m.delivered_at, m.created_at, m.updated_at
        """

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        contact_id = try row.decodeIfPresent(String.self, forKey: .contact_id)
        to = try row.decode(String.self, forKey: .to_phone)
        from = try row.decode(String.self, forKey: .from_address)
        reply_to = try row.decodeIfPresent(String.self, forKey: .reply_to)
        subject = try row.decodeIfPresent(String.self, forKey: .sent_text) ?? row.decodeIfPresent(String.self, forKey: .subject)
        template_id = try row.decodeIfPresent(String.self, forKey: .template_id)
        tags = EmailContent.tags(try row.decode(String.self, forKey: .tags))
        scheduled_at = try row.decode(String.self, forKey: .scheduled_at)
        time_zone = try row.decodeIfPresent(String.self, forKey: .time_zone)
        status = EmailStatus(message: try row.decode(MessageStatus.self, forKey: .status),
                             email: try row.decodeIfPresent(EmailStatus.self, forKey: .email_status))
        campaign_id = try row.decodeIfPresent(String.self, forKey: .campaign_id)
        series_id = try row.decodeIfPresent(String.self, forKey: .series_id)
        attempts = try row.decode(Int.self, forKey: .attempts)
        provider = try row.decodeIfPresent(String.self, forKey: .provider)
        provider_message_id = try row.decodeIfPresent(String.self, forKey: .provider_message_id)
        let errorCode = try row.decodeIfPresent(String.self, forKey: .error_code)
        let errorMessage = try row.decodeIfPresent(String.self, forKey: .error_message)
        error = errorCode.map { Message.ErrorInfo(code: $0, message: errorMessage ?? "") }
        sent_at = try row.decodeIfPresent(String.self, forKey: .sent_at)
        delivered_at = try row.decodeIfPresent(String.self, forKey: .delivered_at)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        timeline = nil
    }
}

import OzziRuntime

/// A recurring send as the API answers it: its rule, what each occurrence sends to whom, where it stands,
/// and (one series only) its occurrences, each a normal message or email with its own status.
struct Series: Encodable, Sendable {
    let id: String
    let channel: MessageChannel
    let state: State
    let stopped_reason: String?
    let recurrence: JSONValue
    let contact_id: String?
    let to: String
    let template_id: String?
    let body: String?
    let content_id: String?
    let variables: [String: String]?
    let category: String
    let campaign: String?
    let occurrences_planned: Int
    let occurrences_sent: Int
    /// When the pending occurrence is due.
    let next_at: String?
    let created_at: String
    let updated_at: String
    var occurrences: [Occurrence]?

    enum State: String, Codable, Sendable, CaseIterable {
        /// Plans its next occurrence when the one before goes out.
        case active
        /// Stopped by the workspace (or its contact was deleted): nothing more is planned.
        case stopped
        /// Its rule has no more occurrences.
        case finished
    }

    struct Occurrence: Codable, Sendable, SQLRecord {
        let number: Int
        let message_id: String
        let scheduled_at: String
        let status: MessageStatus

        enum CodingKeys: String, SQLColumn { case number, message_id, scheduled_at, status }
        typealias Columns = CodingKeys
    }
}

extension Series: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, channel, state, stopped_reason, rule, contact_id, to_address, template_id, body, content_id, variables, category, campaign
        case planned, sent, next_due_ms, created_at, updated_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        channel = try row.decode(MessageChannel.self, forKey: .channel)
        state = try row.decode(State.self, forKey: .state)
        stopped_reason = try row.decodeIfPresent(String.self, forKey: .stopped_reason)
        recurrence = try Self.json(try row.decode(String.self, forKey: .rule))
        contact_id = try row.decodeIfPresent(String.self, forKey: .contact_id)
        to = try row.decode(String.self, forKey: .to_address)
        template_id = try row.decodeIfPresent(String.self, forKey: .template_id)
        body = try row.decodeIfPresent(String.self, forKey: .body)
        content_id = try row.decodeIfPresent(String.self, forKey: .content_id)
        variables = try row.decodeIfPresent(String.self, forKey: .variables).map(Self.variables)
        category = try row.decode(String.self, forKey: .category)
        campaign = try row.decodeIfPresent(String.self, forKey: .campaign)
        occurrences_planned = try row.decode(Int.self, forKey: .planned)
        occurrences_sent = try row.decode(Int.self, forKey: .sent)
        next_at = try row.decodeIfPresent(Int64.self, forKey: .next_due_ms).map(Timestamp.at(milliseconds:))
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        occurrences = nil
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(jsonBytes: Array(text.utf8))
    }

    /// Variables as a `variables` column keeps them (a JSON object of strings), and back.
    static func variables(_ text: String) throws -> [String: String] {
        try json(text).objectValue?.compactMapValues(\.stringValue) ?? [:]
    }

    static func text(_ variables: [String: String]) -> String {
        String(decoding: JSONValue.object(variables.mapValues(JSONValue.string)).jsonBytes, as: UTF8.self)
    }

    /// The rule it keeps.
    var rule: RecurrenceRule {
        get throws { try RecurrenceRule(json: recurrence, fallbackZone: nil, now: 0) }
    }
}

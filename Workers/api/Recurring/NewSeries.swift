import OzziRuntime

/// A series about to be made with its first occurrence: what `POST /api/v1/messages` and
/// `POST /api/v1/emails` build from a `recurrence` object. The series keeps what its first message sends
/// (recipient, text or template or email content, variables), and each later occurrence sends the same.
struct NewSeries: Sendable {
    let id: String
    let rule: RecurrenceRule
    let firstDueMs: Int64

    /// The request's `recurrence`, or nil without one. A recurring send goes to one recipient and takes
    /// its times from the rule, in `time_zone`, else the recipient's (`recipientZone`, see `timeZone`),
    /// else the request's `time_zone`.
    init?(_ body: JSONBody, recipientZone: String?, now: Int64) throws {
        guard let recurrence = body.fields["recurrence"], recurrence != .null else { return nil }
        if body.fields["scheduled_at"].map({ $0 != .null }) == true {
            throw APIError.invalidField("scheduled_at", "a recurring send takes its times from recurrence (starts_on, time)")
        }
        for field in ["contact_ids", "group_id"] where body.fields[field].map({ $0 != .null }) == true {
            throw APIError.invalidField(field, "a recurring send goes to one recipient (a campaign reaches many)")
        }
        let zone = try recipientZone ?? body.string("time_zone", max: 64)
        rule = try RecurrenceRule(json: recurrence, fallbackZone: zone, now: now)
        guard let first = rule.next(after: now - 1, planned: 0) else {
            throw APIError.invalidField("recurrence", "has no send from now on (its ends_on is past)")
        }
        id = ResourceID.make("ser")
        firstDueMs = first
    }

    /// The request's `recurrence` for a recipient known by its contact id (the zone is read only with a recurrence).
    static func read(_ body: JSONBody, _ database: any SQLDatabase, _ scope: TenantScope, contactID: String?, now: Int64) async throws -> NewSeries? {
        guard body.fields["recurrence"].map({ $0 != .null }) == true else { return nil }
        var fields: JSONValue?
        if let contactID {
            fields = try await database.prepare("SELECT custom_fields FROM contacts WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, contactID)
                .first()?.text("custom_fields").flatMap { try? Series.json($0) }
        }
        return try NewSeries(body, recipientZone: timeZone(fields), now: now)
    }

    /// A contact's own time zone: its `time_zone` custom field (`customFields`), when that names an IANA zone.
    static func timeZone(_ customFields: JSONValue?) -> String? {
        guard let zone = customFields?["time_zone"]?.stringValue, TimeZoneName.isKnown(zone) else { return nil }
        return zone
    }

    /// The first occurrence: `message` at the rule's first time, in its zone, as part of the series.
    func first(_ message: MessageStore.NewMessage) -> MessageStore.NewMessage {
        var first = MessageStore.NewMessage(
            id: message.id, contactID: message.contactID, to: message.to, templateID: message.templateID, body: message.body,
            scheduledAt: Timestamp.at(milliseconds: firstDueMs), dueMs: firstDueMs, timeZone: rule.zone.identifier,
            category: message.category, campaign: message.campaign)
        first.channel = message.channel
        first.contentID = message.contentID
        first.campaignID = message.campaignID
        first.variables = message.variables
        first.seriesID = id
        return first
    }

    /// Inserts the series with `first` (already inserted, from `first(_:)`) as its occurrence 1, in the
    /// transaction that inserts the message, and records `series.created`.
    func insert(_ tx: SQLTransaction, _ scope: TenantScope, createdBy: String, first: MessageStore.NewMessage, now: String) throws {
        let variables = first.variables.map(Series.text)
        try tx.run("""
            INSERT INTO series (id, workspace_id, channel, created_by, state, rule, contact_id, to_address, template_id, body, content_id, variables,
                                category, campaign, planned, last_message_id, next_due_ms, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
            """, id, scope.workspaceID, first.channel.rawValue, createdBy, String(decoding: rule.json.jsonBytes, as: UTF8.self), first.contactID,
                   first.to, first.templateID, first.body, first.contentID, variables, first.category, first.campaign, first.id, first.dueMs, now, now)
        try tx.run("INSERT INTO series_occurrences (series_id, occurrence, message_id) VALUES (?, 1, ?)", id, first.id)
        try WorkspaceEvents.record(tx, [(scope, "series.created", ["series_id": .string(id), "channel": .string(first.channel.rawValue)])], at: now)
    }
}

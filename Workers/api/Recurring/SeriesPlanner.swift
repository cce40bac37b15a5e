import Foundation
import OzziRuntime

/// Plans a series' next occurrence once its latest one has left `pending` (claimed for sending, failed,
/// canceled): in the delivery engine's claim transaction, and in the every-minute sweep for a series
/// whose next one nothing planned (an outside service's lease, an occurrence canceled by hand).
///
/// Planning is keyed on the series row: the next occurrence is inserted only if the series' latest is
/// still the one that left `pending` (`last_message_id`), in the same transaction that moves it on, so
/// claiming an occurrence again (a retry) or planning from two places at once plans nothing twice.
enum SeriesPlanner {
    /// Plans the next occurrence of each active series among `seriesIDs` whose latest occurrence is no
    /// longer pending; finishes those whose rule has none left. Returns the delivery jobs to queue after
    /// the caller commits. `now` is the transaction's time (`Timestamp`).
    static func planNext(_ tx: SQLTransaction, seriesIDs: [String], now: String) throws -> [(job: DeliveryJob, dueMs: Int64)] {
        guard !seriesIDs.isEmpty else { return [] }
        let nowMs = SQLDate.parse(now).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } ?? 0
        let rows = try tx.all(Planning.self, """
            SELECT s.id, s.workspace_id, s.channel, s.created_by, s.rule, s.contact_id, s.to_address, s.template_id, s.body, s.content_id,
                   s.variables, s.category, s.campaign, s.planned, s.last_message_id, m.status AS last_status, m.due_ms AS last_due_ms,
                   c.id AS contact_found, c.phone AS contact_phone, c.email AS contact_email
            FROM series s LEFT JOIN messages m ON m.id = s.last_message_id
              LEFT JOIN contacts c ON c.id = s.contact_id AND c.workspace_id = s.workspace_id
            WHERE s.id IN (SELECT value FROM \(tx.dialect.elements())) AND s.state = 'active'
            """, SQLList.json(Array(Set(seriesIDs))))
        var jobs: [(job: DeliveryJob, dueMs: Int64)] = []
        var events: [(TenantScope, String, JSONValue)] = []
        for series in rows where series.last_status != .pending {
            let scope = TenantScope(workspaceID: series.workspace_id)
            if series.contact_id != nil, series.contact_found == nil {
                if try end(tx, series, state: .stopped, reason: "contact_deleted", now: now) {
                    events.append((scope, "series.stopped", ["series_id": .string(series.id), "reason": "contact_deleted"]))
                }
                continue
            }
            // A rule that no longer reads (its zone gone from the installed tzdata) stops its series, not the
            // claim of the batch it came with.
            guard let rule = try? RecurrenceRule(json: try Series.json(series.rule), fallbackZone: nil, now: nowMs) else {
                if try end(tx, series, state: .stopped, reason: "rule_invalid", now: now) {
                    events.append((scope, "series.stopped", ["series_id": .string(series.id), "reason": "rule_invalid"]))
                }
                continue
            }
            // After the latest occurrence's day, and not in the past: a series that lay idle (its host
            // down for days) goes on from now rather than sending what it missed all at once.
            guard let dueMs = rule.next(afterSendAt: series.last_due_ms, now: nowMs, planned: series.planned) else {
                if try end(tx, series, state: .finished, reason: nil, now: now) {
                    events.append((scope, "series.finished", ["series_id": .string(series.id)]))
                }
                continue
            }
            let id = ResourceID.make("msg")
            let moved = try tx.run("""
                UPDATE series SET planned = planned + 1, last_message_id = ?, next_due_ms = ?, updated_at = ?
                WHERE id = ? AND state = 'active' AND last_message_id = ?
                """, id, dueMs, now, series.id, series.last_message_id).changes == 1
            guard moved else { continue }
            let address = series.channel == .email ? series.contact_email : series.contact_phone
            var message = MessageStore.NewMessage(
                id: id, contactID: series.contact_id, to: address ?? series.to_address, templateID: series.template_id, body: series.body,
                scheduledAt: Timestamp.at(milliseconds: dueMs), dueMs: dueMs, timeZone: rule.zone.identifier, category: series.category,
                campaign: series.campaign)
            message.channel = series.channel
            message.contentID = series.content_id
            message.seriesID = series.id
            message.variables = series.variables.flatMap { try? Series.variables($0) }
            try MessageStore.insert(tx, scope, createdBy: series.created_by, [message], now: now)
            try tx.run("INSERT INTO series_occurrences (series_id, occurrence, message_id) VALUES (?, ?, ?)", series.id, series.planned + 1, id)
            jobs.append((DeliveryJob(messageID: id, version: 1), dueMs))
        }
        try WorkspaceEvents.record(tx, events, at: now)
        return jobs
    }

    /// Ends an active series whose latest occurrence is still `series`'; false when something moved it first.
    private static func end(_ tx: SQLTransaction, _ series: Planning, state: Series.State, reason: String?, now: String) throws -> Bool {
        try tx.run("""
            UPDATE series SET state = ?, stopped_reason = ?, next_due_ms = NULL, updated_at = ? WHERE id = ? AND state = 'active' AND last_message_id = ?
            """, state.rawValue, reason, now, series.id, series.last_message_id).changes == 1
    }

    /// A series with what planning its next occurrence needs: its latest occurrence and its contact's addresses.
    struct Planning: Decodable, SQLRecord {
        let id: String
        let workspace_id: String
        let channel: MessageChannel
        let created_by: String
        let rule: String
        let contact_id: String?
        let to_address: String
        let template_id: String?
        let body: String?
        let content_id: String?
        let variables: String?
        let category: String
        let campaign: String?
        let planned: Int
        let last_message_id: String?
        let last_status: MessageStatus?
        let last_due_ms: Int64?
        let contact_found: String?
        let contact_phone: String?
        let contact_email: String?

        enum CodingKeys: String, SQLColumn {
            case id, workspace_id, channel, created_by, rule, contact_id, to_address, template_id, body, content_id, variables, category, campaign
            case planned, last_message_id, last_status, last_due_ms, contact_found, contact_phone, contact_email
        }
        typealias Columns = CodingKeys
    }
}

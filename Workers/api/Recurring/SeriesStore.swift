import OzziRuntime

/// All SQL of series: reading them with their occurrences, changing what is not sent yet, stopping.
///
/// Changes touch the series row and the pending occurrence in separate transactions, the row first: the
/// delivery engine's claim locks an occurrence and then its series, so taking them in the other order in
/// one transaction could deadlock on PostgreSQL. A claim between the two sees the changed series (its next
/// occurrence is planned the new way); the change then finds the occurrence gone from `pending` and leaves
/// it, as it was being sent.
struct SeriesStore: Sendable {
    let database: any SQLDatabase
    let messages: MessageStore
    var clock: any WallClock { messages.clock }

    static let selection = """
        SELECT s.id, s.channel, s.state, s.stopped_reason, s.rule, s.contact_id, s.to_address, s.template_id, s.body, s.content_id, s.variables,
               s.category, s.campaign, s.planned, s.next_due_ms, s.created_at, s.updated_at,
               (SELECT count(*) FROM messages m WHERE m.series_id = s.id AND m.status IN ('sent', 'delivered', 'undelivered')) AS sent
        FROM series s
        """

    /// How many occurrences one series answers with, newest first.
    static let occurrencesShown = 100

    func get(_ scope: TenantScope, id: String) async throws -> Series? {
        guard var series = try await database.prepare(Self.selection + " WHERE s.workspace_id = ? AND s.id = ?").bind(scope.workspaceID, id)
            .first(Series.self) else { return nil }
        series.occurrences = try await database.prepare("""
            SELECT o.occurrence AS number, o.message_id, m.scheduled_at, m.status FROM series_occurrences o JOIN messages m ON m.id = o.message_id
            WHERE o.series_id = ? ORDER BY o.occurrence DESC LIMIT ?
            """).bind(id, Self.occurrencesShown).all(Series.Occurrence.self)
        return series
    }

    struct Filter: Sendable {
        var state: Series.State?
        var channel: MessageChannel?
        var contactID: String?
    }

    /// Newest first, keyset-paged on (created_at, id).
    func list(_ scope: TenantScope, _ filter: Filter, page: PageRequest) async throws -> [Series] {
        var sql = Self.selection + " WHERE s.workspace_id = ?"
        var bound: [any SQLBindable] = [scope.workspaceID]
        if let state = filter.state { sql += " AND s.state = ?"; bound.append(state.rawValue) }
        if let channel = filter.channel { sql += " AND s.channel = ?"; bound.append(channel.rawValue) }
        if let contact = filter.contactID { sql += " AND s.contact_id = ?"; bound.append(contact) }
        if let after = page.after {
            let parts = Cursor(key: after).parts
            if parts.count == 2 {
                sql += " AND (s.created_at < ? OR (s.created_at = ? AND s.id < ?))"
                bound += [parts[0], parts[0], parts[1]]
            }
        }
        bound.append(page.limit + 1)
        return try await database.prepare(sql + " ORDER BY s.created_at DESC, s.id DESC LIMIT ?").bind(bound).all(Series.self)
    }

    /// What a change sets; nil leaves a part as it is.
    struct Change: Sendable {
        var rule: RecurrenceRule?
        /// SMS: a template or a text (the other one is cleared).
        var text: (templateID: String?, body: String?)?
        /// Email: a new content row for what is not sent yet (sent emails keep theirs).
        var contentID: String?
        var variables: [String: String]??
    }

    enum Outcome {
        case changed(jobs: [(job: DeliveryJob, dueMs: Int64)])
        case stopped
    }

    /// Changes a series and its pending occurrence (rescheduled by the new rule after the occurrence
    /// before it, re-rendered from the new content); sent occurrences stay as they went. A finished series
    /// whose new rule has more occurrences goes on. Returns the delivery jobs to queue.
    func update(_ scope: TenantScope, _ current: Series, _ change: Change) async throws -> Outcome {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let rule = try change.rule ?? current.rule
        let ruleText = String(decoding: rule.json.jsonBytes, as: UTF8.self)
        // The occurrences the new rule counts from: the latest, and the one before it.
        let latest = try await database.prepare("""
            SELECT o.occurrence, m.id, m.status, m.due_ms FROM series_occurrences o JOIN messages m ON m.id = o.message_id
            WHERE o.series_id = ? ORDER BY o.occurrence DESC LIMIT 2
            """).bind(current.id).all()
        let last = latest.first, before = latest.dropFirst().first
        let lastPending = last?.text("status") == MessageStatus.pending.rawValue
        let lastDue = last?.integer("due_ms")
        // A finished series goes on when the new rule has more after its last occurrence.
        let resume = current.state == .finished && rule.next(afterSendAt: lastDue, now: nowMs, planned: current.occurrences_planned) != nil

        // The parts of what is sent that change: the same columns on the series and on its pending occurrence.
        var content: [String] = [], values: [any SQLBindable] = []
        if let text = change.text {
            content += ["template_id = ?", "body = ?"]
            values += [text.templateID, text.body]
        }
        if let contentID = change.contentID {
            content.append("content_id = ?")
            values.append(contentID)
        }
        if let variables = change.variables {
            content.append("variables = ?")
            values.append(variables.map(Series.text))
        }
        let sets = content.map { ", " + $0 }.joined(), contentValues = values.map(\.sqlValue)

        let (updated, planned) = try await database.transaction { tx -> (Bool, [(job: DeliveryJob, dueMs: Int64)]) in
            let changed = try tx.execute("""
                UPDATE series SET rule = ?, updated_at = ?\(resume ? ", state = 'active'" : "")\(sets) WHERE workspace_id = ? AND id = ? AND state <> 'stopped'
                """, [.text(ruleText), .text(now)] + contentValues + [.text(scope.workspaceID), .text(current.id)]).changes == 1
            guard changed else { return (false, []) }
            try WorkspaceEvents.record(tx, [(scope, "series.updated", ["series_id": .string(current.id)])], at: now)
            return (true, resume ? try SeriesPlanner.planNext(tx, seriesIDs: [current.id], now: now) : [])
        }
        guard updated else { return .stopped }
        guard let last, lastPending, let lastID = last.text("id") else { return .changed(jobs: planned) }

        // The pending occurrence: after the one before it (or from now, when it is the first), by the new rule.
        guard let dueMs = rule.next(afterSendAt: before?.integer("due_ms"), now: nowMs, planned: current.occurrences_planned - 1) else {
            // The new rule has no room for it (a count or end date already reached): it is not sent.
            _ = try await messages.cancel(scope, MessageFilter(ids: [lastID]))
            try await database.transaction { tx in
                guard try tx.run("""
                    UPDATE series SET state = 'finished', next_due_ms = NULL, updated_at = ? WHERE id = ? AND state = 'active' AND last_message_id = ?
                    """, now, current.id, lastID).changes == 1 else { return }
                try WorkspaceEvents.record(tx, [(scope, "series.finished", ["series_id": .string(current.id)])], at: now)
            }
            return .changed(jobs: planned)
        }
        let version = try await database.transaction { tx -> Int? in
            let row = try tx.execute("""
                UPDATE messages SET scheduled_at = ?, due_ms = ?, time_zone = ?, version = version + 1, enqueued = 0, updated_at = ?\(sets)
                WHERE id = ? AND status = 'pending' RETURNING version
                """, [.text(Timestamp.at(milliseconds: dueMs)), .integer(dueMs), .text(rule.zone.identifier), .text(now)] + contentValues + [.text(lastID)]).rows.first
            guard let version = row?.integer("version") else { return nil }
            try tx.run("UPDATE series SET next_due_ms = ? WHERE id = ? AND last_message_id = ?", dueMs, current.id, lastID)
            return Int(version)
        }
        return .changed(jobs: planned + (version.map { [(DeliveryJob(messageID: lastID, version: $0), dueMs)] } ?? []))
    }

    /// Stops an active series: nothing more is planned and its pending occurrence is canceled. False when
    /// it had already finished; stopping a stopped series changes nothing.
    func stop(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        let (stopped, pending) = try await database.transaction { tx -> (Bool, String?) in
            guard let row = try tx.all("""
                UPDATE series SET state = 'stopped', stopped_reason = 'stopped', next_due_ms = NULL, updated_at = ?
                WHERE workspace_id = ? AND id = ? AND state = 'active' RETURNING last_message_id
                """, now, scope.workspaceID, id).first else {
                let state = try tx.all("SELECT state FROM series WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).first?.text("state")
                return (state == Series.State.stopped.rawValue, nil)
            }
            try WorkspaceEvents.record(tx, [(scope, "series.stopped", ["series_id": .string(id), "reason": "stopped"])], at: now)
            return (true, row.text("last_message_id"))
        }
        if let pending { _ = try await messages.cancel(scope, MessageFilter(ids: [pending])) }
        return stopped
    }

    /// Active series whose latest occurrence left `pending` with no next one planned.
    func stalled(limit: Int) async throws -> [String] {
        try await database.prepare("""
            SELECT s.id FROM series s JOIN messages m ON m.id = s.last_message_id WHERE s.state = 'active' AND m.status <> 'pending' LIMIT ?
            """).bind(limit).all().compactMap { $0.text("id") }
    }
}

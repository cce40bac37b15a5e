import OzziRuntime

/// All SQL of scheduled messages: scheduling, reading, cancelling and rescheduling, and the status changes
/// the delivery engine and provider callbacks make. Every status change also writes a timeline event.
struct MessageStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let columns = Message.selection

    /// A message about to be scheduled.
    struct NewMessage: Sendable {
        let id: String
        let contactID: String?
        let to: String
        let templateID: String?
        let body: String?
        let scheduledAt: String
        let dueMs: Int64
        let timeZone: String?
        let category: String
        let campaign: String?
        /// `sms` or `email`; an email's subject and body are its `email_contents` row (`contentID`).
        var channel: MessageChannel = .sms
        var contentID: String? = nil
        var campaignID: String? = nil
        var seriesID: String? = nil
        /// Filled into the text besides the contact's fields.
        var variables: [String: String]? = nil
    }

    /// A delivery job's target: the message with what rendering and checks need, read in one query.
    /// A class, not a struct: a send's message rides through the engine's batches, slots and results, and
    /// with its contact inline a copy of the struct retained some forty strings (4% of a campaign's CPU).
    final class Due: Sendable {
        let id: String
        let scope: TenantScope
        let createdBy: String
        let to: String
        let status: MessageStatus
        let version: Int
        let attempts: Int
        let dueMs: Int64
        let templateID: String?
        let templateBody: String?
        let body: String?
        let contact: Contact?
        let channel: MessageChannel
        /// Email: the `email_contents` row with its subject and body.
        let contentID: String?
        let campaignID: String?
        let variables: [String: String]
        /// The series it is an occurrence of.
        let seriesID: String?

        init(row: SQLRecordRow<Columns>) throws {
            id = try row.decode(String.self, forKey: .message_id)
            scope = TenantScope(workspaceID: try row.decode(String.self, forKey: .message_workspace))
            createdBy = try row.decode(String.self, forKey: .created_by)
            to = try row.decode(String.self, forKey: .to_phone)
            status = try row.decode(MessageStatus.self, forKey: .message_status)
            version = try row.decode(Int.self, forKey: .version)
            attempts = try row.decode(Int.self, forKey: .attempts)
            dueMs = try row.decode(Int64.self, forKey: .due_ms)
            templateID = try row.decodeIfPresent(String.self, forKey: .template_id)
            body = try row.decodeIfPresent(String.self, forKey: .message_body)
            templateBody = try row.decodeIfPresent(String.self, forKey: .template_body)
            let hasContact = try !row.columns(Contact.Columns.self).decodeNil(forKey: .id)
            contact = hasContact ? try row.record(Contact.self) : nil
            channel = try row.decode(MessageChannel.self, forKey: .channel)
            contentID = try row.decodeIfPresent(String.self, forKey: .content_id)
            campaignID = try row.decodeIfPresent(String.self, forKey: .campaign_id)
            variables = try row.decodeIfPresent(String.self, forKey: .variables).flatMap { try? JSONValue(jsonBytes: Array($0.utf8)).objectValue }?
                .compactMapValues(\.stringValue) ?? [:]
            seriesID = try row.decodeIfPresent(String.self, forKey: .series_id)
        }
    }

    // MARK: - Scheduling

    /// Inserts the messages, a few statements for the lot, each with its `pending` event.
    static func insert(_ tx: SQLTransaction, _ scope: TenantScope, createdBy: String, _ messages: [NewMessage], now: String) throws {
        guard !messages.isEmpty else { return }
        let workspace = SQLValue.text(scope.workspaceID), creator = SQLValue.text(createdBy), at = SQLValue.text(now)
        try tx.insert(into: "messages", columns: [
            "id", "workspace_id", "created_by", "contact_id", "to_phone", "template_id", "body", "scheduled_at", "due_ms", "time_zone",
            "category", "campaign", "channel", "content_id", "campaign_id", "series_id", "variables", "status", "created_at", "updated_at",
        ], rows: messages.map { m in
            [.text(m.id), workspace, creator, m.contactID.sqlValue, .text(m.to), m.templateID.sqlValue, m.body.sqlValue,
             .text(m.scheduledAt), .integer(m.dueMs), m.timeZone.sqlValue, .text(m.category), m.campaign.sqlValue, .text(m.channel.rawValue),
             m.contentID.sqlValue, m.campaignID.sqlValue, m.seriesID.sqlValue,
             m.variables.map { .text(String(decoding: JSONValue.object($0.mapValues(JSONValue.string)).jsonBytes, as: UTF8.self)) } ?? .null,
             .text("pending"), at, at]
        })
        try tx.insert(into: "message_events", columns: ["message_id", "at", "kind", "result"],
                      rows: messages.map { [.text($0.id), at, .text("status"), .text("pending")] })
    }

    /// Marks delivery jobs as queued for these message versions.
    func markEnqueued(_ jobs: [DeliveryJob]) async throws {
        let list = SQLList.json(jobs.map { JSONValue.array([.string($0.messageID), .number(Double($0.version))]) })
        // A join, each job finding its message by id (a version looked up per message in the list was a scan of
        // the list per message: 50 µs a message in a batch of 100).
        try await database.prepare("""
            UPDATE messages SET enqueued = 1
            FROM (SELECT value ->> 0 AS id, CAST(value ->> 1 AS BIGINT) AS version FROM \(database.dialect.records())) AS queued
            WHERE messages.id = queued.id AND messages.version = queued.version AND messages.status = 'pending'
            """).bind(list).run()
    }

    /// Pending messages with no queued job (lost between commit and queueing), updated before `before`.
    func unqueued(createdBefore before: String, limit: Int) async throws -> [(job: DeliveryJob, dueMs: Int64)] {
        try await database.prepare("""
            SELECT \(State.selection) FROM messages WHERE status = 'pending' AND enqueued = 0 AND updated_at < ? ORDER BY due_ms LIMIT ?
            """).bind(before, limit).all(State.self).map { ($0.job, $0.due_ms) }
    }

    // MARK: - Reading

    func get(_ scope: TenantScope, id: String) async throws -> Message? {
        guard var message = try await database.prepare("SELECT \(Self.columns) FROM messages WHERE workspace_id = ? AND id = ?")
            .bind(scope.workspaceID, id).first(Message.self) else { return nil }
        message.timeline = try await database.prepare("""
            SELECT \(MessageEvent.selection) FROM message_events WHERE message_id = ? ORDER BY id
            """).bind(id).all(MessageEvent.self)
        return message
    }

    /// Newest first, keyset-paged on (created_at, id).
    func list(_ scope: TenantScope, _ filter: MessageFilter, page: PageRequest) async throws -> [Message] {
        let (clause, values) = filter.sql(database.dialect)
        let after = page.after?.split(separator: "\u{1F}", maxSplits: 1).map(String.init) ?? []
        var bound: [any SQLBindable] = [scope.workspaceID]
        bound += values
        var keyset = ""
        if after.count == 2 {
            keyset = " AND (created_at < ? OR (created_at = ? AND id < ?))"
            bound += [after[0], after[0], after[1]]
        }
        bound.append(page.limit + 1)
        return try await database.prepare("""
            SELECT \(Self.columns) FROM messages WHERE workspace_id = ?\(clause)\(keyset) ORDER BY created_at DESC, id DESC LIMIT ?
            """).bind(bound).all(Message.self)
    }

    /// The ids `filter` selects, up to `limit`.
    func ids(_ scope: TenantScope, _ filter: MessageFilter, limit: Int) async throws -> [String] {
        let (clause, values) = filter.sql(database.dialect)
        var bound: [any SQLBindable] = [scope.workspaceID]
        bound += values
        bound.append(limit)
        return try await database.prepare("SELECT id FROM messages WHERE workspace_id = ?\(clause) LIMIT ?").bind(bound).all().compactMap { $0.text("id") }
    }

    // MARK: - Changes by the workspace

    /// Cancels the pending messages among those `filter` selects (up to 10,000); returns their ids.
    func cancel(_ scope: TenantScope, _ filter: MessageFilter) async throws -> [String] {
        let (clause, values) = filter.sql(database.dialect)
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            var bound: [any SQLBindable] = [scope.workspaceID]
            bound += values
            let rows = try tx.execute("SELECT id, channel FROM messages WHERE workspace_id = ? AND status = 'pending'\(clause) LIMIT 10000",
                                      bound.map(\.sqlValue)).rows
            let ids = rows.compactMap { $0.text("id") }
            let list = SQLList.json(ids)
            try tx.run("UPDATE messages SET status = 'canceled', updated_at = ? WHERE id IN (SELECT value FROM \(tx.dialect.elements())) AND status = 'pending'", now, list)
            try tx.run("INSERT INTO message_events (message_id, at, kind, result) SELECT value, ?, 'status', 'canceled' FROM \(tx.dialect.elements())", now, list)
            try WorkspaceEvents.record(tx, rows.compactMap { row in
                row.text("id").map { StatusChange(scope: scope, messageID: $0, status: .canceled, errorCode: nil,
                                                  channel: row.text("channel").flatMap(MessageChannel.init) ?? .sms) }
            }, at: now)
            return ids
        }
    }

    /// Moves a pending message to a new time; the old job finds a newer version and does nothing.
    func reschedule(_ scope: TenantScope, id: String, scheduledAt: String, dueMs: Int64, timeZone: String?) async throws -> DeliveryJob? {
        let now = Timestamp.now(clock)
        let version = try await database.transaction { tx -> Int? in
            try tx.run("""
                UPDATE messages SET scheduled_at = ?, due_ms = ?, time_zone = ?, version = version + 1, enqueued = 0, updated_at = ?
                WHERE workspace_id = ? AND id = ? AND status = 'pending'
                """, scheduledAt, dueMs, timeZone, now, scope.workspaceID, id)
            return try tx.first(State.self, "SELECT \(State.selection) FROM messages WHERE workspace_id = ? AND id = ?", scope.workspaceID, id)
                .flatMap { $0.status == .pending ? $0.version : nil }
        }
        return version.map { DeliveryJob(messageID: id, version: $0) }
    }

    /// Sends failed, undelivered or under-review messages again, as new pending versions due now.
    func retry(_ scope: TenantScope, ids: [String]) async throws -> [DeliveryJob] {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        let list = SQLList.json(ids)
        return try await database.transaction { tx in
            let states = try tx.all(State.self, """
                UPDATE messages SET status = 'pending', version = version + 1, enqueued = 0, due_ms = ?, error_code = NULL, error_message = NULL,
                  provider_message_id = NULL, updated_at = ?
                WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements())) AND status IN ('failed', 'undelivered', 'review')
                RETURNING \(State.selection)
                """, nowMs, now, scope.workspaceID, list)
            let jobs = states.map(\.job)
            try tx.run("INSERT INTO message_events (message_id, at, kind, result) SELECT value, ?, 'status', 'pending' FROM \(tx.dialect.elements())",
                       now, SQLList.json(jobs.map(\.messageID)))
            try WorkspaceEvents.record(tx, states.map { StatusChange(scope: scope, messageID: $0.id, status: .pending, errorCode: nil, channel: $0.channel) }, at: now)
            return jobs
        }
    }

    // MARK: - Provider callbacks

    /// Applies a provider's status report if it moves the message forward (recording its event); nil when
    /// it does not (a late or repeated report); a 404 when no message has the provider id (yet).
    func applyProviderStatus(providerID: String, status: MessageStatus, errorCode: String?) async throws -> StatusChange? {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> StatusChange? in
            guard let current = try tx.first(State.self, "SELECT \(State.selection) FROM messages WHERE provider_message_id = ?", providerID) else {
                // A report can overtake the engine's record of the send it is about: the sender is asked to
                // try again later (the simulated provider does; Twilio logs it).
                throw APIError(status: 404, code: "unknown_message", message: "no message with this provider id (yet); try again later")
            }
            guard current.status.advances(to: status) else { return nil }
            let id = current.id
            let reason = errorCode.map { "the provider reported error \($0)" }
            try tx.run("""
                UPDATE messages SET status = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END,
                  error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message), updated_at = ? WHERE id = ?
                """, status.rawValue, status.rawValue, now, errorCode, reason, now, id)
            try tx.run("""
                INSERT INTO message_events (message_id, at, kind, result, provider_message_id, error_code, error_message) VALUES (?, ?, 'status', ?, ?, ?, ?)
                """, id, now, status.rawValue, providerID, errorCode, reason)
            let change = StatusChange(scope: current.scope, messageID: id, status: status, errorCode: errorCode, channel: current.channel)
            try WorkspaceEvents.record(tx, [change], at: now)
            return change
        }
    }

    // MARK: - The delivery engine's side

    /// Fails a message that is still `from`, with its timeline event; false when it had moved on.
    @discardableResult
    static func fail(_ tx: SQLTransaction, _ id: String, from: MessageStatus, code: String, reason: String, now: String) throws -> Bool {
        guard try tx.run("UPDATE messages SET status = 'failed', error_code = ?, error_message = ?, updated_at = ? WHERE id = ? AND status = ?",
                         code, reason, now, id, from.rawValue).changes == 1 else { return false }
        try tx.run("INSERT INTO message_events (message_id, at, kind, result, error_code, error_message) VALUES (?, ?, 'status', 'failed', ?, ?)",
                   id, now, code, reason)
        return true
    }

    func due(_ ids: [String]) async throws -> [Due] {
        try await database.prepare("""
            SELECT m.id AS message_id, m.workspace_id AS message_workspace, m.created_by, m.to_phone, m.status AS message_status, m.version,
                   m.attempts, m.due_ms, m.template_id, m.body AS message_body, t.body AS template_body,
                   m.channel, m.content_id, m.campaign_id, m.variables, m.series_id,
                   \(ContactStore.columns)
            FROM messages m LEFT JOIN contacts c ON c.id = m.contact_id LEFT JOIN templates t ON t.id = m.template_id
            WHERE m.id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(SQLList.json(ids)).all(Due.self)
    }

    /// A message's delivery state: what status changes check, and what delivery jobs are made from.
    private struct State: Decodable, SQLRecord {
        let id: String
        let workspace_id: String
        let status: MessageStatus
        let version: Int
        let due_ms: Int64
        let channel: MessageChannel

        enum CodingKeys: String, SQLColumn { case id, workspace_id, status, version, due_ms, channel }
        typealias Columns = CodingKeys

        var job: DeliveryJob { DeliveryJob(messageID: id, version: version) }
        var scope: TenantScope { TenantScope(workspaceID: workspace_id) }
    }
}

extension MessageStore.Due: SQLRecord {
    /// The message's columns, named apart from its contact's (`ContactStore.columns`, all NULL without one).
    enum Columns: String, SQLColumn {
        case message_id, message_workspace, created_by, to_phone, message_status, version, attempts, due_ms, template_id, message_body
        case template_body, channel, content_id, campaign_id, variables, series_id
    }
}

import FoundationEssentials
import OzziRuntime

/// All SQL of opens, clicks and unsubscribes per email (`email_engagement`), and the forward moves of an
/// email's `email_status` they make: delivered < opened < clicked, never over bounced or complained.
struct EngagementStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// What an open or a click changed: nil when the token's email does not exist (any more).
    struct Recorded: Sendable, Equatable {
        let machine: Bool
        /// `email_status` moved forward (and the timeline has its event).
        let advanced: Bool
    }

    /// The `email_status` values an open or a click may replace: only lower ranks, and no status yet.
    static let movesFrom = ["opened": ["delivered", "delivery_delayed"], "clicked": ["delivered", "delivery_delayed", "opened"]]

    /// Counts an open of the email, a mail privacy proxy's apart (`OpenClassifier`); a person's moves it to
    /// `opened`. Records `email.opened` either way.
    func open(_ email: EmailRef, userAgent: String?) async throws -> Recorded? {
        let nowMs = clock.milliseconds
        let now = Timestamp.at(milliseconds: nowMs)
        return try await database.transaction { tx in
            guard let message = try Self.message(tx, email) else { return nil }
            let machine = OpenClassifier.isMachine(userAgent: userAgent, openedMs: nowMs, deliveredMs: message.deliveredMs)
            if machine {
                try tx.run("""
                    INSERT INTO email_engagement (message_id, workspace_id, campaign_id, machine_opens, first_machine_open_at) VALUES (?, ?, ?, 1, ?)
                    ON CONFLICT (message_id) DO UPDATE SET machine_opens = email_engagement.machine_opens + 1,
                      first_machine_open_at = COALESCE(email_engagement.first_machine_open_at, excluded.first_machine_open_at)
                    """, email.messageID, email.scope.workspaceID, message.campaignID, now)
            } else {
                try tx.run("""
                    INSERT INTO email_engagement (message_id, workspace_id, campaign_id, opens, first_opened_at, last_opened_at) VALUES (?, ?, ?, 1, ?, ?)
                    ON CONFLICT (message_id) DO UPDATE SET opens = email_engagement.opens + 1,
                      first_opened_at = COALESCE(email_engagement.first_opened_at, excluded.first_opened_at), last_opened_at = excluded.last_opened_at
                    """, email.messageID, email.scope.workspaceID, message.campaignID, now, now)
            }
            let advanced = try !machine && Self.advance(tx, email, to: "opened", now: now)
            try WorkspaceEvents.record(tx, [(email.scope, "email.opened", message.event(email, ["machine": .bool(machine)]))], at: now)
            return Recorded(machine: machine, advanced: advanced)
        }
    }

    /// Counts a click on `url`, moves the email to `clicked` and records `email.clicked`.
    func click(_ email: EmailRef, url: String) async throws -> Recorded? {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard let message = try Self.message(tx, email) else { return nil }
            try tx.run("""
                INSERT INTO email_engagement (message_id, workspace_id, campaign_id, clicks, first_clicked_at, last_clicked_at) VALUES (?, ?, ?, 1, ?, ?)
                ON CONFLICT (message_id) DO UPDATE SET clicks = email_engagement.clicks + 1,
                  first_clicked_at = COALESCE(email_engagement.first_clicked_at, excluded.first_clicked_at), last_clicked_at = excluded.last_clicked_at
                """, email.messageID, email.scope.workspaceID, message.campaignID, now, now)
            let advanced = try Self.advance(tx, email, to: "clicked", now: now)
            try WorkspaceEvents.record(tx, [(email.scope, "email.clicked", message.event(email, ["url": .string(url)]))], at: now)
            return Recorded(machine: false, advanced: advanced)
        }
    }

    /// Notes that the recipient unsubscribed through this email (what campaigns count as unsubscribed);
    /// answers whether this is the first time. False too when the email does not exist.
    static func markUnsubscribed(_ tx: SQLTransaction, _ email: EmailRef, now: String) throws -> (first: Bool, campaignID: String?) {
        guard let message = try message(tx, email) else { return (false, nil) }
        if try tx.run("""
            INSERT INTO email_engagement (message_id, workspace_id, campaign_id, unsubscribed_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING
            """, email.messageID, email.scope.workspaceID, message.campaignID, now).changes == 1 {
            return (true, message.campaignID)
        }
        let first = try tx.run("UPDATE email_engagement SET unsubscribed_at = ? WHERE message_id = ? AND unsubscribed_at IS NULL",
                               now, email.messageID).changes == 1
        return (first, message.campaignID)
    }

    /// One email's engagement (zeros when nobody did anything yet); nil when the workspace has no such email.
    func get(_ scope: TenantScope, messageID: String) async throws -> Engagement? {
        try await database.prepare("""
            SELECT m.id AS message_id, m.campaign_id, COALESCE(e.opens, 0) AS opens, COALESCE(e.machine_opens, 0) AS machine_opens,
              COALESCE(e.clicks, 0) AS clicks, e.first_opened_at, e.last_opened_at, e.first_machine_open_at, e.first_clicked_at,
              e.last_clicked_at, e.unsubscribed_at
            FROM messages m LEFT JOIN email_engagement e ON e.message_id = m.id WHERE m.workspace_id = ? AND m.id = ? AND m.channel = 'email'
            """).bind(scope.workspaceID, messageID).first(Engagement.self)
    }

    /// Campaigns' engagement by campaign id, in one query; a campaign nobody engaged with answers zeros.
    func campaigns(_ scope: TenantScope, ids: [String]) async throws -> [String: CampaignEngagement] {
        let rows = try await database.prepare("""
            SELECT campaign_id,
              SUM(CASE WHEN opens > 0 OR clicks > 0 THEN 1 ELSE 0 END) AS opened,
              SUM(CASE WHEN machine_opens > 0 AND opens = 0 AND clicks = 0 THEN 1 ELSE 0 END) AS machine_opened,
              SUM(CASE WHEN clicks > 0 THEN 1 ELSE 0 END) AS clicked,
              SUM(CASE WHEN unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END) AS unsubscribed,
              SUM(opens) AS opens, SUM(machine_opens) AS machine_opens, SUM(clicks) AS clicks
            FROM email_engagement WHERE workspace_id = ? AND campaign_id IN (SELECT value FROM \(database.dialect.elements()))
            GROUP BY campaign_id
            """).bind(scope.workspaceID, SQLList.json(ids)).all()
        var counts = Dictionary(uniqueKeysWithValues: ids.map { ($0, CampaignEngagement()) })
        for row in rows {
            guard let id = row.text("campaign_id") else { continue }
            func count(_ column: String) -> Int { Int(row.integer(column) ?? 0) }
            counts[id] = CampaignEngagement(opened: count("opened"), machine_opened: count("machine_opened"), clicked: count("clicked"),
                                            unsubscribed: count("unsubscribed"), opens: count("opens"), machine_opens: count("machine_opens"),
                                            clicks: count("clicks"))
        }
        return counts
    }

    /// Moves `email_status` forward to `status` (with its timeline event) if it is lower; answers whether it moved.
    private static func advance(_ tx: SQLTransaction, _ email: EmailRef, to status: String, now: String) throws -> Bool {
        let lower = movesFrom[status] ?? []
        guard try tx.run("""
            UPDATE messages SET email_status = ?, updated_at = ?
            WHERE workspace_id = ? AND id = ? AND (email_status IS NULL OR email_status IN (SELECT value FROM \(tx.dialect.elements())))
            """, status, now, email.scope.workspaceID, email.messageID, SQLList.json(lower)).changes == 1 else { return false }
        try tx.run("INSERT INTO message_events (message_id, at, kind, result) VALUES (?, ?, 'status', ?)", email.messageID, now, status)
        return true
    }

    /// The email a token names, with what engagement needs of it.
    private struct Sent {
        let campaignID: String?
        /// When it was delivered, or sent when no delivery was reported.
        let deliveredMs: Int64?

        func event(_ email: EmailRef, _ extra: [String: JSONValue]) -> JSONValue {
            var data = extra
            data["message_id"] = .string(email.messageID)
            if let campaignID { data["campaign_id"] = .string(campaignID) }
            return .object(data)
        }
    }

    private static func message(_ tx: SQLTransaction, _ email: EmailRef) throws -> Sent? {
        guard let row = try tx.all("""
            SELECT campaign_id, delivered_at, sent_ms FROM messages WHERE workspace_id = ? AND id = ? AND channel = 'email'
            """, email.scope.workspaceID, email.messageID).first else { return nil }
        let delivered = row.text("delivered_at").flatMap(SQLDate.parse).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        return Sent(campaignID: row.text("campaign_id"), deliveredMs: delivered ?? row.integer("sent_ms"))
    }
}

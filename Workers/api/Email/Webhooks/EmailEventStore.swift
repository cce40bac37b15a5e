import OzziRuntime

/// Applies provider events to emails: each moves an email's status forward only (a late or repeated
/// event changes nothing), writes its timeline line, records its `email.*` event, and — for a hard bounce
/// or a complaint (or soft bounces past their threshold) — suppresses the address, all in one transaction.
/// Events that arrive together (a provider posts many at once) share that transaction.
struct EmailEventStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    private let gathered: GatheredTransactions<ResendEvent, StatusChange?>

    init(database: any SQLDatabase, clock: any WallClock) {
        self.database = database
        self.clock = clock
        gathered = GatheredTransactions(database: database) { tx, event in try Self.apply(tx, event, clock: clock) }
    }

    /// The email a provider's id names, for checking the signature with its workspace's secret.
    func owner(providerID: String) async throws -> (scope: TenantScope, provider: String)? {
        guard let row = try await database.prepare("SELECT workspace_id, provider FROM messages WHERE provider_message_id = ? AND channel = 'email'")
            .bind(providerID).first(), let workspace = row.text("workspace_id") else { return nil }
        return (TenantScope(workspaceID: workspace), row.text("provider") ?? "")
    }

    /// Nil when the event moved nothing.
    func apply(_ event: ResendEvent) async throws -> StatusChange? {
        guard event.status != nil else { return nil }
        return try await gathered.run(event)
    }

    private static func apply(_ tx: SQLTransaction, _ event: ResendEvent, clock: any WallClock) throws -> StatusChange? {
        guard let reported = event.status else { return nil }
        let now = Timestamp.now(clock)
        guard let row = try tx.execute("""
            SELECT id, workspace_id, to_phone, status, email_status FROM messages WHERE provider_message_id = ? AND channel = 'email'
            """, [.text(event.emailID)]).rows.first,
              let id = row.text("id"), let workspace = row.text("workspace_id"), let address = row.text("to_phone"),
              let status = row.text("status").flatMap({ MessageStatus(rawValue: $0) }) else { return nil }
        let current = EmailStatus(message: status, email: row.text("email_status").flatMap(EmailStatus.init))
        guard current.advances(to: reported) else { return nil }
        // The engine's status follows when the event settles the send (delivered, bounced, failed).
        let settled = reported.messageStatus.flatMap { status.advances(to: $0) ? $0 : nil } ?? status
        let code: String? = switch reported {
        case .bounced: event.permanentBounce ? "hard_bounce" : "soft_bounce"
        case .complained: "complaint"
        case .failed: "provider_failed"
        default: nil
        }
        try tx.run("""
            UPDATE messages SET email_status = ?, status = ?, delivered_at = CASE WHEN ? = 'delivered' AND delivered_at IS NULL THEN ? ELSE delivered_at END,
              error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message), updated_at = ? WHERE id = ?
            """, reported.rawValue, settled.rawValue, settled.rawValue, now, code, code.map { _ in event.detail ?? event.type }, now, id)
        try tx.run("""
            INSERT INTO message_events (message_id, at, kind, result, provider_message_id, error_code, error_message) VALUES (?, ?, 'status', ?, ?, ?, ?)
            """, id, now, reported.rawValue, event.emailID, code, code.map { _ in event.detail ?? event.type })
        let change = StatusChange(scope: TenantScope(workspaceID: workspace), messageID: id, status: settled, errorCode: code,
                                  channel: .email, emailStatus: reported)
        try WorkspaceEvents.record(tx, [change], at: now)
        // As listmonk does by default: a hard bounce or a complaint suppresses at once, soft bounces
        // are counted until their threshold.
        let scope = change.scope
        switch reported {
        case .bounced where event.permanentBounce:
            try SuppressionStore.add(tx, scope: scope, address: address, reason: .hardBounce, messageID: id, now: now)
        case .bounced:
            try SuppressionStore.softBounce(tx, scope: scope, address: address, messageID: id, atMs: clock.milliseconds)
        case .complained:
            try SuppressionStore.add(tx, scope: scope, address: address, reason: .complaint, messageID: id, now: now)
        default:
            break
        }
        return change
    }
}

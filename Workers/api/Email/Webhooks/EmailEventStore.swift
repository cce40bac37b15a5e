import OzziRuntime

/// Applies provider events to emails: each moves an email's status forward only (a late or repeated
/// event changes nothing), writes its timeline line, records its `email.*` event, and — for a hard bounce
/// or a complaint (or soft bounces past their threshold) — suppresses the address, all in one transaction.
/// Events that arrive together (a provider posts many at once) share that transaction, and their timeline
/// lines and `email.*` events are written by one statement each for the lot.
///
/// The signature is checked in that transaction too, with the secret of the workspace the email belongs
/// to: one trip to the database per batch of events, not a read of the owner per event first (each trip
/// hands the work to a blocking thread and back, which costs more than the read). The batch's emails are
/// read by one statement for the lot (one each cost a campaign 10 µs an event).
struct EmailEventStore: Sendable {
    /// An event as posted, with what its signature covers.
    struct Posted: Sendable {
        let event: ResendEvent
        let signature: WebhookSignature.Headers?
        let body: [UInt8]
    }

    enum Receipt: Sendable {
        /// No email has this provider id (yet).
        case unknownEmail
        /// The signature does not verify with the secret of the email's workspace, or is too old.
        case badSignature
        /// Checked; the change it made, nil when it moved nothing.
        case received(StatusChange?)
    }

    /// The secret that signs the provider's webhooks for a workspace, read in the event's transaction.
    typealias Secret = @Sendable (SQLTransaction, TenantScope, _ provider: String) throws -> String?

    private let gathered: GatheredTransactions<Posted, Receipt>

    init(database: any SQLDatabase, clock: any WallClock, secret: @escaping Secret) {
        gathered = GatheredTransactions(database: database) { tx, items in
            var writes = Writes()
            let emails = try Self.emails(tx, providerIDs: items.map(\.event.emailID))
            let receipts = try items.map { try Self.receive(tx, $0, email: emails[$0.event.emailID], secret: secret, clock: clock, writes: &writes) }
            try writes.flush(tx)
            return receipts
        }
    }

    /// An email as its events find it.
    private struct Stored {
        let id: String
        let scope: TenantScope
        let address: String
        let status: MessageStatus
        let emailStatus: EmailStatus?
        let provider: String
    }

    /// The emails the batch's events are about, by provider id; an id no email has is absent.
    private static func emails(_ tx: SQLTransaction, providerIDs: [String]) throws -> [String: Stored] {
        var found: [String: Stored] = [:]
        for row in try tx.all("""
            SELECT provider_message_id, id, workspace_id, to_phone, status, email_status, provider FROM messages
            WHERE provider_message_id IN (SELECT value FROM \(tx.dialect.elements())) AND channel = 'email'
            """, SQLList.json(Set(providerIDs).map(JSONValue.string))) {
            guard let providerID = row.text("provider_message_id"), let id = row.text("id"), let workspace = row.text("workspace_id"),
                  let address = row.text("to_phone"), let status = row.text("status").flatMap({ MessageStatus(rawValue: $0) }) else { continue }
            found[providerID] = Stored(id: id, scope: TenantScope(workspaceID: workspace), address: address, status: status,
                                       emailStatus: row.text("email_status").flatMap { EmailStatus(rawValue: $0) }, provider: row.text("provider") ?? "")
        }
        return found
    }

    /// The status moves, timeline lines and workspace events of a batch's events, written together at its end
    /// (or before a suppression, whose own event must come after the status event that caused it). A later
    /// event of the batch reads its email's status from `latest`: the batch's read came before its moves.
    private struct Writes {
        /// Moves not written yet.
        var moves: [String: Move] = [:]
        /// Each email's last move in this transaction, written or not.
        var latest: [String: Move] = [:]
        var timeline: [[SQLValue]] = []
        var changes: [StatusChange] = []
        var at = ""

        /// What an email's events in the batch came to: the last status, the first delivery, the last error.
        struct Move {
            let emailStatus: EmailStatus
            let status: MessageStatus
            let deliveredAt: String?
            let errorCode: String?
            let errorMessage: String?
            let at: String
        }

        mutating func move(_ id: String, to emailStatus: EmailStatus, _ status: MessageStatus, code: String?, message: String?, at now: String) {
            let earlier = latest[id]
            let move = Move(emailStatus: emailStatus, status: status, deliveredAt: earlier?.deliveredAt ?? (status == .delivered ? now : nil),
                            errorCode: code ?? earlier?.errorCode, errorMessage: code == nil ? earlier?.errorMessage : message, at: now)
            moves[id] = move
            latest[id] = move
        }

        mutating func flush(_ tx: SQLTransaction) throws {
            guard !timeline.isEmpty else { return }
            // One statement for the lot (one each cost a campaign 47 µs an email), each email found by id.
            try tx.run("""
                UPDATE messages SET email_status = moved.email_status, status = moved.status,
                  delivered_at = COALESCE(messages.delivered_at, moved.delivered_at), error_code = COALESCE(moved.error_code, messages.error_code),
                  error_message = COALESCE(moved.error_message, messages.error_message), updated_at = moved.at
                FROM (SELECT value ->> 0 AS id, value ->> 1 AS email_status, value ->> 2 AS status, value ->> 3 AS delivered_at,
                        value ->> 4 AS error_code, value ->> 5 AS error_message, value ->> 6 AS at FROM \(tx.dialect.records())) AS moved
                WHERE messages.id = moved.id
                """, SQLList.json(moves.sorted { $0.key < $1.key }.map { id, move in
                    [.string(id), .string(move.emailStatus.rawValue), .string(move.status.rawValue), move.deliveredAt.map(JSONValue.string) ?? .null,
                     move.errorCode.map(JSONValue.string) ?? .null, move.errorMessage.map(JSONValue.string) ?? .null, .string(move.at)]
                }))
            _ = try tx.insert(into: "message_events", columns: ["message_id", "at", "kind", "result", "provider_message_id", "error_code", "error_message"],
                              rows: timeline)
            try WorkspaceEvents.record(tx, changes, at: at)
            moves = [:]
            timeline = []
            changes = []
        }
    }

    func receive(_ posted: Posted) async throws -> Receipt {
        try await gathered.run(posted)
    }

    private static func receive(_ tx: SQLTransaction, _ posted: Posted, email stored: Stored?, secret: Secret, clock: any WallClock,
                                writes: inout Writes) throws -> Receipt {
        let event = posted.event
        guard let stored else { return .unknownEmail }
        guard let signature = posted.signature, let secret = try secret(tx, stored.scope, stored.provider),
              signature.verify(secret: secret, body: posted.body, now: clock.milliseconds / 1000) else { return .badSignature }
        guard let reported = event.status else { return .received(nil) }
        // An earlier event of this batch may have moved the email already.
        let moved = writes.latest[stored.id]
        let status = moved?.status ?? stored.status
        let current = EmailStatus(message: status, email: moved?.emailStatus ?? stored.emailStatus)
        return .received(try apply(tx, event, reported: reported, to: (stored.id, stored.scope, stored.address, status, current), clock: clock,
                                   writes: &writes))
    }

    private static func apply(_ tx: SQLTransaction, _ event: ResendEvent, reported: EmailStatus,
                              to email: (id: String, scope: TenantScope, address: String, status: MessageStatus, current: EmailStatus),
                              clock: any WallClock, writes: inout Writes) throws -> StatusChange? {
        let (id, scope, address, status, current) = email
        guard current.advances(to: reported) else { return nil }
        let now = Timestamp.now(clock)
        // The engine's status follows when the event settles the send (delivered, bounced, failed).
        let settled = reported.messageStatus.flatMap { status.advances(to: $0) ? $0 : nil } ?? status
        let code: String? = switch reported {
        case .bounced: event.permanentBounce ? "hard_bounce" : "soft_bounce"
        case .complained: "complaint"
        case .failed: "provider_failed"
        default: nil
        }
        writes.move(id, to: reported, settled, code: code, message: code.map { _ in event.detail ?? event.type }, at: now)
        let change = StatusChange(scope: scope, messageID: id, status: settled, errorCode: code, channel: .email, emailStatus: reported)
        writes.timeline.append([.text(id), .text(now), .text("status"), .text(reported.rawValue), .text(event.emailID),
                                code.map(SQLValue.text) ?? .null, code.map { _ in .text(event.detail ?? event.type) } ?? .null])
        writes.changes.append(change)
        writes.at = now
        if reported == .bounced || reported == .complained { try writes.flush(tx) }
        // As listmonk does by default: a hard bounce or a complaint suppresses at once, soft bounces
        // are counted until their threshold.
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

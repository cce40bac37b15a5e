import OzziRuntime

/// Delivery by an outside service (a workspace whose provider is `external`): it leases due messages,
/// sends them itself and reports each result. A lease that expires unreported returns its message.
struct ExternalDelivery: Sendable {
    let messages: MessageStore
    var database: any SQLDatabase { messages.database }
    var clock: any WallClock { messages.clock }

    struct Leased: Encodable {
        let id: String
        let contact_id: String?
        let to: String
        let text: String
        let scheduled_at: String
        let attempt: Int
        let lease_expires_at: String
    }

    func lease(_ scope: TenantScope, limit: Int, leaseSeconds: Int) async throws -> [Leased] {
        let now = clock.milliseconds
        let ids = try await database.prepare("""
            SELECT id FROM messages WHERE workspace_id = ? AND ((status = 'pending' AND due_ms <= ?)
              OR (status = 'sending' AND provider = 'external' AND lease_until_ms < ?)) ORDER BY due_ms LIMIT ?
            """).bind(scope.workspaceID, now, now, limit).all().compactMap { $0.text("id") }
        let due = try await messages.due(ids)
        let until = now + Int64(leaseSeconds) * 1000
        let stamp = Timestamp.now(clock), expires = Timestamp.at(milliseconds: until)
        return try await database.transaction { tx -> [Leased] in
            var leased: [Leased] = []
            for message in due {
                let text: String
                switch DeliveryEngine.render(message) {
                case .success(let rendered):
                    text = rendered
                case .failure(let failure):
                    // Nothing to hand out (its template was deleted): it fails, as the engine would fail it.
                    if try MessageStore.fail(tx, message.id, from: .pending, code: failure.code, reason: failure.message, now: stamp) {
                        try WorkspaceEvents.record(tx, [StatusChange(scope: scope, messageID: message.id, status: .failed, errorCode: failure.code)], at: stamp)
                    }
                    continue
                }
                let won = try tx.run("""
                    UPDATE messages SET status = 'sending', provider = 'external', attempts = attempts + 1, sent_text = ?, lease_until_ms = ?, updated_at = ?
                    WHERE id = ? AND ((status = 'pending' AND due_ms <= ?) OR (status = 'sending' AND provider = 'external' AND lease_until_ms < ?))
                    """, text, until, stamp, message.id, now, now).changes == 1
                guard won else { continue }
                // An earlier lease that expired unreported: its outcome is unknown.
                try tx.run("""
                    UPDATE message_events SET result = 'unknown', error_message = 'the lease expired unreported'
                    WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
                    """, message.id)
                try tx.run("INSERT INTO message_events (message_id, at, kind, result, provider) VALUES (?, ?, 'attempt', 'started', 'external')", message.id, stamp)
                let scheduledAt = Timestamp.at(milliseconds: message.dueMs)
                leased.append(Leased(id: message.id, contact_id: message.contact?.id, to: message.to, text: text, scheduled_at: scheduledAt,
                                     attempt: message.attempts + 1, lease_expires_at: expires))
            }
            return leased
        }
    }

    /// Applies a reported result: from a lease (`sending`) to any outcome, or later forward moves; only for
    /// a message the delivery API leased (`provider = 'external'`).
    func report(_ scope: TenantScope, id: String, status: MessageStatus, providerID: String?, errorCode: String?, errorMessage: String?) async throws -> StatusChange {
        let now = Timestamp.now(clock), nowMs = clock.milliseconds
        return try await database.transaction { tx -> StatusChange in
            guard let row = try tx.all("SELECT status, provider FROM messages WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).first,
                  let current = MessageStatus(rawValue: row.text("status") ?? "") else { throw APIError.notFound("message") }
            // The engine's sends are the engine's to record: a report on one would race its claim.
            if let provider = row.text("provider"), provider != "external" {
                throw APIError.conflict("the message was sent by the \(provider) provider, not leased from /api/v1/delivery/pending")
            }
            guard current != .pending else { throw APIError.conflict("the message is not leased; lease it from /api/v1/delivery/pending first") }
            guard current.advances(to: status) else {
                throw APIError.conflict("the message is \(current.rawValue); a status only moves forward")
            }
            let reached = status == .sent || status == .delivered
            try tx.run("""
                UPDATE messages SET status = ?, lease_until_ms = NULL, provider_message_id = COALESCE(?, provider_message_id),
                  sent_at = CASE WHEN ? = 1 AND sent_at IS NULL THEN ? ELSE sent_at END, sent_ms = CASE WHEN ? = 1 AND sent_ms IS NULL THEN ? ELSE sent_ms END,
                  delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END,
                  error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message), updated_at = ?
                WHERE id = ?
                """, status.rawValue, providerID, reached ? 1 : 0, now, reached ? 1 : 0, nowMs, status.rawValue, now, errorCode, errorMessage, now, id)
            if current == .sending {
                try tx.run("""
                    UPDATE message_events SET result = ?, provider_message_id = ?, error_code = ?, error_message = ?
                    WHERE message_id = ? AND kind = 'attempt' AND result = 'started'
                    """, reached ? "accepted" : "permanent", providerID, errorCode, errorMessage, id)
            }
            try tx.run("""
                INSERT INTO message_events (message_id, at, kind, result, provider, provider_message_id, error_code, error_message)
                VALUES (?, ?, 'status', ?, 'external', ?, ?, ?)
                """, id, now, status.rawValue, providerID, errorCode, errorMessage)
            let change = StatusChange(scope: scope, messageID: id, status: status, errorCode: errorCode)
            try WorkspaceEvents.record(tx, [change], at: now)
            return change
        }
    }

    struct Stats: Encodable {
        let due: Int
        let leased: Int
        let expired_leases: Int
        let sent_24h: Int
        let delivered_24h: Int
        let failed_24h: Int
    }

    func stats(_ scope: TenantScope) async throws -> Stats {
        let now = clock.milliseconds
        let since = Timestamp.at(milliseconds: now - 86_400_000)
        let row = try await database.prepare("""
            SELECT count(*) FILTER (WHERE status = 'pending' AND due_ms <= ?) AS due,
                   count(*) FILTER (WHERE status = 'sending' AND provider = 'external' AND lease_until_ms >= ?) AS leased,
                   count(*) FILTER (WHERE status = 'sending' AND provider = 'external' AND lease_until_ms < ?) AS expired,
                   count(*) FILTER (WHERE status = 'sent' AND updated_at >= ?) AS sent,
                   count(*) FILTER (WHERE status = 'delivered' AND updated_at >= ?) AS delivered,
                   count(*) FILTER (WHERE status IN ('failed', 'undelivered') AND updated_at >= ?) AS failed
            FROM messages WHERE workspace_id = ?
            """).bind(now, now, now, since, since, since, scope.workspaceID).first()
        func n(_ name: String) -> Int { Int(row?.integer(name) ?? 0) }
        return Stats(due: n("due"), leased: n("leased"), expired_leases: n("expired"), sent_24h: n("sent"), delivered_24h: n("delivered"),
                     failed_24h: n("failed"))
    }
}

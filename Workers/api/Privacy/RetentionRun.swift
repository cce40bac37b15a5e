import OzziRuntime

/// The daily retention run: for each workspace with a `RetentionPolicy`, deletes the conversations whose
/// last message, the messages sent (or settled) and the SMS received, the chat sessions last seen, and the
/// form submissions made, before the policy's cutoff; then writes one audit entry per workspace saying what went. In batches, each
/// its own transaction, so a large first run neither holds locks for long nor loses its work to a crash:
/// the next run goes on from what is left.
struct RetentionRun: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let audit: AuditLog

    /// When it runs: 01:00 UTC (the api worker's triggers list it).
    static let cron = "0 1 * * *"
    static let batch = 500

    /// Applies every workspace's policy; answers what went, by workspace.
    @discardableResult
    func run() async throws -> [String: [String: Int]] {
        let now = clock.milliseconds
        var done: [String: [String: Int]] = [:]
        for row in try await database.prepare("SELECT workspace_id, days FROM retention_policies ORDER BY workspace_id").all() {
            guard let workspace = row.text("workspace_id"), let days = row.integer("days") else { continue }
            let cutoff = Timestamp.at(milliseconds: now - days * 86_400_000)
            let removed = try await apply(TenantScope(workspaceID: workspace), cutoff: cutoff)
            try await database.prepare("UPDATE retention_policies SET last_run_at = ? WHERE workspace_id = ?").bind(Timestamp.at(milliseconds: now), workspace).run()
            var details: [String: JSONValue] = ["days": .number(Double(days)), "cutoff": .string(cutoff)]
            for (kind, count) in removed { details[kind] = .number(Double(count)) }
            await audit.record("privacy.retention_applied", workspace: workspace, user: nil, ip: nil, details: details)
            done[workspace] = removed
        }
        return done
    }

    private func apply(_ scope: TenantScope, cutoff: String) async throws -> [String: Int] {
        let ws = scope.workspaceID
        var removed = ["conversations": 0, "messages": 0, "inbound_messages": 0, "chat_sessions": 0, "form_submissions": 0]
        removed["conversations"] = try await batches { tx in
            try tx.run("""
                DELETE FROM conversations WHERE id IN (SELECT id FROM conversations WHERE workspace_id = ? AND last_message_at < ? LIMIT \(Self.batch))
                """, ws, cutoff).changes
        }
        removed["messages"] = try await batches { tx in
            // Settled messages, by when they were sent or settled (created_at, never later, keeps the index
            // in use); a series' latest occurrence stays, as its next is planned from it.
            let ids = try tx.all("""
                SELECT id FROM messages WHERE workspace_id = ? AND created_at < ? AND coalesce(sent_at, updated_at) < ?
                  AND status IN ('sent', 'delivered', 'undelivered', 'failed', 'canceled')
                  AND NOT EXISTS (SELECT 1 FROM series s WHERE s.last_message_id = messages.id)
                LIMIT \(Self.batch)
                """, ws, cutoff, cutoff).compactMap { $0.text("id") }
            return try MessageRemoval.remove(tx, scope, ids: ids)
        }
        removed["inbound_messages"] = try await batches { tx in
            try tx.run("""
                DELETE FROM inbound_messages WHERE id IN (SELECT id FROM inbound_messages WHERE workspace_id = ? AND received_at < ? LIMIT \(Self.batch))
                """, ws, cutoff).changes
        }
        removed["chat_sessions"] = try await batches { tx in
            try tx.run("""
                DELETE FROM widget_visitors WHERE id IN (SELECT v.id FROM widget_visitors v WHERE v.workspace_id = ? AND v.seen_at < ?
                  AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = v.id) LIMIT \(Self.batch))
                """, ws, cutoff).changes
        }
        removed["form_submissions"] = try await batches { tx in
            try tx.run("""
                DELETE FROM form_submissions WHERE id IN (SELECT id FROM form_submissions WHERE workspace_id = ? AND created_at < ? LIMIT \(Self.batch))
                """, ws, cutoff).changes
        }
        return removed
    }

    /// Runs `step` in a transaction of its own until a batch removes fewer than `batch`; answers the total.
    private func batches(_ step: @escaping @Sendable (SQLTransaction) throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let count = try await database.transaction { tx in try step(tx) }
            total += count
            if count < Self.batch { return total }
        }
    }
}

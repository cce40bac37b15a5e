import OzziRuntime

/// All SQL of the workspaces' suppression lists: addresses no email goes to (hard bounces, complaints,
/// unsubscribes, repeated soft bounces, the workspace's own additions). Suppressing an address opts the
/// workspace's contacts that have it out of email, in the same transaction, with its events.
struct SuppressionStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    // MARK: - For the delivery engine and provider events

    /// Puts `address` on the workspace's list unless it is there already (the first reason stays), opts
    /// out its contacts (`email_consent`) and records `email.suppressed` and `contact.updated`; `messageID`
    /// is the email that caused it (its campaign is noted too). Answers whether the address was added.
    @discardableResult
    static func add(_ tx: SQLTransaction, scope: TenantScope, address: String, reason: SuppressionReason, messageID: String?,
                    now: String) throws -> Bool {
        let address = address.lowercased()
        let campaignID = try messageID.flatMap {
            try tx.all("SELECT campaign_id FROM messages WHERE workspace_id = ? AND id = ?", scope.workspaceID, $0).first?.text("campaign_id")
        }
        guard try tx.run("""
            INSERT INTO email_suppressions (workspace_id, address, reason, message_id, campaign_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (workspace_id, address) DO NOTHING
            """, scope.workspaceID, address, reason.rawValue, messageID, campaignID, now).changes == 1 else { return false }
        let contacts = try tx.all("""
            UPDATE contacts SET email_consent = 'opted_out', email_consent_at = ?, email_consent_method = ?, updated_at = ?
            WHERE workspace_id = ? AND email = ? AND email_consent <> 'opted_out' RETURNING id
            """, now, reason.consentMethod, now, scope.workspaceID, address).compactMap { $0.text("id") }
        var event: [String: JSONValue] = ["address": .string(address), "reason": .string(reason.rawValue)]
        if let messageID { event["message_id"] = .string(messageID) }
        if let campaignID { event["campaign_id"] = .string(campaignID) }
        try WorkspaceEvents.record(tx, [(scope, "email.suppressed", .object(event))] + contacts.map {
            (scope, "contact.updated", ["contact_id": .string($0), "email_consent": "opted_out"])
        }, at: now)
        return true
    }

    /// Counts a soft bounce of `address`; at `SoftBounces.threshold` within `SoftBounces.windowMs` of the
    /// first one counted, the address is suppressed (`soft_bounce_threshold`). Answers whether it was.
    @discardableResult
    static func softBounce(_ tx: SQLTransaction, scope: TenantScope, address: String, messageID: String?, atMs now: Int64) throws -> Bool {
        let address = address.lowercased()
        let windowStart = now - SoftBounces.windowMs
        let bounces = try tx.all("""
            INSERT INTO email_soft_bounces (workspace_id, address, bounces, first_ms, last_ms) VALUES (?, ?, 1, ?, ?)
            ON CONFLICT (workspace_id, address) DO UPDATE SET
              bounces = CASE WHEN email_soft_bounces.first_ms < ? THEN 1 ELSE email_soft_bounces.bounces + 1 END,
              first_ms = CASE WHEN email_soft_bounces.first_ms < ? THEN excluded.first_ms ELSE email_soft_bounces.first_ms END,
              last_ms = excluded.last_ms
            RETURNING bounces
            """, scope.workspaceID, address, now, now, windowStart, windowStart).first?.integer("bounces") ?? 0
        guard bounces >= SoftBounces.threshold else { return false }
        return try add(tx, scope: scope, address: address, reason: .softBounceThreshold, messageID: messageID, now: Timestamp.at(milliseconds: now))
    }

    /// Which of `addresses` the workspace suppresses, lower-cased: one indexed query for a batch of sends.
    func suppressed(_ scope: TenantScope, addresses: [String]) async throws -> Set<String> {
        guard !addresses.isEmpty else { return [] }
        let rows = try await database.prepare("""
            SELECT address FROM email_suppressions WHERE workspace_id = ? AND address IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(scope.workspaceID, SQLList.json(addresses.map { $0.lowercased() })).all()
        return Set(rows.compactMap { $0.text("address") })
    }

    /// The same inside a transaction.
    static func suppressed(_ tx: SQLTransaction, scope: TenantScope, addresses: [String]) throws -> Set<String> {
        guard !addresses.isEmpty else { return [] }
        let rows = try tx.all("""
            SELECT address FROM email_suppressions WHERE workspace_id = ? AND address IN (SELECT value FROM \(tx.dialect.elements()))
            """, scope.workspaceID, SQLList.json(addresses.map { $0.lowercased() }))
        return Set(rows.compactMap { $0.text("address") })
    }

    func isSuppressed(_ scope: TenantScope, address: String) async throws -> Bool {
        try await !suppressed(scope, addresses: [address]).isEmpty
    }

    // MARK: - The workspace's list

    func get(_ scope: TenantScope, address: String) async throws -> Suppression? {
        try await database.prepare("SELECT \(Suppression.selection) FROM email_suppressions WHERE workspace_id = ? AND address = ?")
            .bind(scope.workspaceID, address.lowercased()).first(Suppression.self)
    }

    /// Adds an address by hand; answers its row (an address already there keeps its first reason).
    func add(_ scope: TenantScope, address: String, reason: SuppressionReason) async throws -> Suppression {
        let now = Timestamp.now(clock)
        _ = try await database.transaction { tx in
            try Self.add(tx, scope: scope, address: address, reason: reason, messageID: nil, now: now)
        }
        return try await get(scope, address: address)!
    }

    /// Takes an address off the list (and forgets its soft bounces); its contacts stay opted out until
    /// someone opts them back in. False when it was not on the list.
    func remove(_ scope: TenantScope, address: String) async throws -> Bool {
        let address = address.lowercased()
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM email_suppressions WHERE workspace_id = ? AND address = ?", scope.workspaceID, address).changes == 1 else {
                return false
            }
            try tx.run("DELETE FROM email_soft_bounces WHERE workspace_id = ? AND address = ?", scope.workspaceID, address)
            try WorkspaceEvents.record(tx, [(scope, "email.unsuppressed", ["address": .string(address)])], at: now)
            return true
        }
    }

    /// Newest first, keyset-paged on (created_at, address).
    func list(_ scope: TenantScope, reason: SuppressionReason?, page: PageRequest) async throws -> [Suppression] {
        var sql = "SELECT \(Suppression.selection) FROM email_suppressions WHERE workspace_id = ?"
        var values: [any SQLBindable] = [scope.workspaceID]
        if let reason {
            sql += " AND reason = ?"
            values.append(reason.rawValue)
        }
        if page.after != nil {
            let (key, address) = page.afterKeyAndID
            sql += " AND (created_at < ? OR (created_at = ? AND address < ?))"
            values += [key, key, address]
        }
        values.append(page.limit + 1)
        return try await database.prepare(sql + " ORDER BY created_at DESC, address DESC LIMIT ?").bind(values).all(Suppression.self)
    }
}

/// When soft bounces suppress an address (as listmonk counts them): this many within the window.
enum SoftBounces {
    static let threshold: Int64 = 3
    static let windowMs: Int64 = 30 * 86_400_000
}

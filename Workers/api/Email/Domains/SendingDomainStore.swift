import FoundationEssentials
import OzziRuntime

/// All SQL about sending domains; DKIM private keys sealed under the credentials key.
struct SendingDomainStore: Sendable {
    let database: any SQLDatabase
    let key: [UInt8]
    let clock: any WallClock

    /// What a new domain is made of.
    struct New: Sendable {
        let name: String
        let provider: String
        let providerDomainID: String?
        let records: [DomainRecord]
        let selector: String?
        let privateKeyPEM: String?
        let nextCheckMs: Int64
    }

    func create(_ scope: TenantScope, _ domain: New) async throws -> SendingDomain {
        let id = ResourceID.make("edm"), now = Timestamp.now(clock)
        let sealed = domain.privateKeyPEM.map { Base64.encode(SealedBox.seal(Array($0.utf8), key: key)) }
        do {
            try await database.prepare("""
                INSERT INTO email_domains (id, workspace_id, name, provider, provider_domain_id, records, dkim_selector, dkim_key_sealed,
                  next_check_ms, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(id, scope.workspaceID, domain.name, domain.provider, domain.providerDomainID, try Self.json(domain.records),
                          domain.selector, sealed, domain.nextCheckMs, now, now).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("the domain \(domain.name) is already added", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> SendingDomain? {
        try await database.prepare("SELECT \(SendingDomain.selection) FROM email_domains WHERE workspace_id = ? AND id = ?")
            .bind(scope.workspaceID, id).first(SendingDomain.self)
    }

    /// A page of the workspace's domains, by name.
    func list(_ scope: TenantScope, page: PageRequest) async throws -> [SendingDomain] {
        try await database.prepare("""
            SELECT \(SendingDomain.selection) FROM email_domains WHERE workspace_id = ? AND name > ? ORDER BY name LIMIT ?
            """).bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(SendingDomain.self)
    }

    func exists(_ scope: TenantScope, name: String) async throws -> Bool {
        try await database.prepare("SELECT 1 AS one FROM email_domains WHERE workspace_id = ? AND name = ?").bind(scope.workspaceID, name).first() != nil
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM email_domains WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).run().changes == 1
    }

    /// The workspace's verified domains, each with the provider it was added for.
    func verified(_ scope: TenantScope) async throws -> [(name: String, provider: String)] {
        try await database.prepare("SELECT name, provider FROM email_domains WHERE workspace_id = ? AND status = 'verified'")
            .bind(scope.workspaceID).all().compactMap { row in
                guard let name = row.text("name"), let provider = row.text("provider") else { return nil }
                return (name, provider)
            }
    }

    /// A signer for each of the workspace's domains whose DKIM key we hold, for its SMTP relay
    /// (`EmailProviders.provider(for:dkim:)`; the client signs each email with its From domain's). Whatever
    /// the domain's status: a From is checked when the send is made, and a signature a receiver cannot
    /// verify is no worse than none.
    func dkimSigners(_ scope: TenantScope) async throws -> [DKIMSigner] {
        try await database.prepare("""
            SELECT name, dkim_selector, dkim_key_sealed FROM email_domains
            WHERE workspace_id = ? AND dkim_selector IS NOT NULL AND dkim_key_sealed IS NOT NULL ORDER BY name
            """).bind(scope.workspaceID).all().compactMap { row in
            guard let name = row.text("name"), let selector = row.text("dkim_selector"),
                  let pem = row.text("dkim_key_sealed").flatMap(Base64.decode).flatMap({ SealedBox.open($0, key: key) }) else { return nil }
            return DKIMSigner(domain: name, selector: selector, key: try RSAKey(pem: String(decoding: pem, as: UTF8.self)))
        }
    }

    /// Domains whose re-check is due, oldest due first.
    func due(limit: Int) async throws -> [Scoped<SendingDomain>] {
        try await database.prepare("""
            SELECT workspace_id, \(SendingDomain.selection) FROM email_domains WHERE next_check_ms <= ? ORDER BY next_check_ms, id LIMIT ?
            """).bind(clock.milliseconds, limit).all(Scoped<SendingDomain>.self)
    }

    /// Takes a due domain's re-check for this host: moves its due time to `until` unless another host
    /// moved it first. True when this host has it.
    func claim(_ id: String, until: Int64) async throws -> Bool {
        try await database.prepare("UPDATE email_domains SET next_check_ms = ? WHERE id = ? AND next_check_ms <= ?")
            .bind(until, id, clock.milliseconds).run().changes == 1
    }

    /// Stores a check: the records as found, the domain's status, the next check; an event when the status
    /// moved to verified or failed, in the same transaction. Answers the domain as saved (nil if deleted).
    func saveCheck(_ scope: TenantScope, id: String, records: [DomainRecord], status: SendingDomain.Status, checked: Bool,
                   nextCheckMs: Int64) async throws -> SendingDomain? {
        let now = Timestamp.now(clock), recordsJSON = try Self.json(records)
        try await database.transaction { tx in
            try tx.run("""
                UPDATE email_domains SET records = ?, checked_at = CASE WHEN ? = 1 THEN ? ELSE checked_at END, next_check_ms = ?, updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """, recordsJSON, checked ? 1 : 0, now, nextCheckMs, now, scope.workspaceID, id)
            // Conditional on the status changing, so that of two checks racing only one records the event.
            let moved = try tx.run("""
                UPDATE email_domains SET status = ?, verified_at = CASE WHEN ? = 'verified' THEN ? ELSE verified_at END
                WHERE workspace_id = ? AND id = ? AND status <> ?
                """, status.rawValue, status.rawValue, now, scope.workspaceID, id, status.rawValue).changes == 1
            guard moved, status != .pending, let name = try tx.all("SELECT name FROM email_domains WHERE id = ?", id).first?.text("name") else { return }
            let failing = records.filter { $0.required && $0.status != .verified }.map { JSONValue.string($0.kind.rawValue) }
            try WorkspaceEvents.record(tx, [(scope, "email_domain.\(status.rawValue)",
                                             ["domain_id": .string(id), "name": .string(name), "status": .string(status.rawValue), "failing": .array(failing)])],
                                       at: now)
        }
        return try await get(scope, id: id)
    }

    private static func json(_ records: [DomainRecord]) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(records), as: UTF8.self)
    }
}

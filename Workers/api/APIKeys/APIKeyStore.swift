import OzziRuntime
import Synchronization

/// API keys: `ozk_live_<12 visible>_<secret>`, found by their visible prefix and checked against a
/// SHA-256 of the whole key in constant time. A verified key, with its creator and workspace, is
/// remembered for five seconds so most keyed requests cost no query; disabling or deleting a key, and
/// any membership change, forgets at once, on every host (`PrincipalCacheSync`).
final class APIKeyStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    private let principals: PrincipalStore
    private let verified = Mutex<[String: Verified]>([:])
    let sync: PrincipalCacheSync
    static let cacheMilliseconds: Int64 = 5_000

    struct Verified: Sendable {
        let keyID: String
        let user: User
        /// The key's workspace; a key acts there with at most admin rights (it cannot manage owners).
        let workspace: Workspace
        let checkedAt: Int64
        var lastUsedWritten: Int64
    }

    init(database: any SQLDatabase, clock: any WallClock, sync: PrincipalCacheSync) {
        self.database = database
        self.clock = clock
        self.sync = sync
        principals = PrincipalStore(database: database, clock: clock)
    }

    /// Creates a key; returns it with its secret, which is never stored or shown again.
    func create(_ scope: TenantScope, name: String, createdBy: String) async throws -> (APIKey, String) {
        let visible = "ozk_live_" + String(ResourceID.make("k").dropFirst(2).prefix(12))
        let secret = visible + "_" + Base64URL.encode(Crypto.randomBytes(24))
        let key = APIKey(id: ResourceID.make("key"), name: name, prefix: visible, active: true, created_by: createdBy,
                         created_at: Timestamp.now(clock), last_used_at: nil)
        try await database.prepare("""
            INSERT INTO api_keys (id, workspace_id, name, prefix, secret_hash, active, created_by, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)
            """).bind(key.id, scope.workspaceID, name, visible, Crypto.sha256Hex(secret), createdBy, key.created_at).run()
        return (key, secret)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [APIKey] {
        try await database.prepare("""
            SELECT \(APIKey.selection) FROM api_keys WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?
            """).bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(APIKey.self)
    }

    func get(_ scope: TenantScope, id: String) async throws -> APIKey? {
        try await database.prepare("""
            SELECT \(APIKey.selection) FROM api_keys WHERE workspace_id = ? AND id = ?
            """).bind(scope.workspaceID, id).first(APIKey.self)
    }

    func update(_ scope: TenantScope, id: String, name: String?, active: Bool?) async throws -> APIKey? {
        try await database.prepare("""
            UPDATE api_keys SET name = coalesce(?, name), active = coalesce(?, active) WHERE workspace_id = ? AND id = ?
            """).bind(name, active, scope.workspaceID, id).run()
        forget(keyID: id)
        return try await get(scope, id: id)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let deleted = try await database.prepare("DELETE FROM api_keys WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).run().changes == 1
        forget(keyID: id)
        return deleted
    }

    /// The key's id, workspace and creator when `key` is a valid, active key.
    func authenticate(_ key: String) async throws -> Verified? {
        let hash = Crypto.sha256Hex(key)
        let now = clock.milliseconds
        if var hit = verified.withLock({ $0[hash] }), now - hit.checkedAt < Self.cacheMilliseconds {
            if now - hit.lastUsedWritten > 60_000 {
                hit.lastUsedWritten = now
                let updated = hit
                verified.withLock { $0[hash] = updated }
                try await touch(hit.keyID)
            }
            return hit
        }
        // The secret is base64url and may itself contain "_": split off the three prefix parts only.
        let parts = key.split(separator: "_", maxSplits: 3)
        guard parts.count == 4, parts[0] == "ozk" else { return nil }
        guard let found = try await principals.apiKey(prefix: parts[0...2].joined(separator: "_")),
              Crypto.constantTimeEquals(Array(found.secretHash.utf8), Array(hash.utf8)), found.active,
              let workspace = found.resolved.workspace else { return nil }
        let limited = Workspace(id: workspace.id, name: workspace.name, is_personal: workspace.is_personal, created_at: workspace.created_at,
                                role: min(workspace.role, .admin))
        let hit = Verified(keyID: found.id, user: found.resolved.user, workspace: limited, checkedAt: now, lastUsedWritten: now)
        verified.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[hash] = hit
        }
        try await touch(hit.keyID)
        return hit
    }

    private func touch(_ keyID: String) async throws {
        try await database.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(Timestamp.now(clock), keyID).run()
    }

    private func forget(keyID: String) {
        forgetHere(keyID: keyID)
        sync.forget(keyID: keyID)
    }

    /// Forgets every verified key, on every host: a membership or account changed, so a cached role or
    /// user may be stale.
    func forgetAll() {
        forgetAllHere()
        sync.forget(keyID: nil)
    }

    /// What another host's change asks of this host's cache.
    func forgetHere(keyID: String) {
        verified.withLock { cache in cache = cache.filter { $0.value.keyID != keyID } }
    }

    func forgetAllHere() {
        verified.withLock { $0.removeAll() }
    }
}

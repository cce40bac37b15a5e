import OzziRuntime

/// All SQL about Google connections. Tokens are sealed here, on their way in, and opened only by
/// `GoogleAccess` when a call needs one.
struct GoogleConnectionStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    /// Derived from the credentials key for this use alone.
    let key: [UInt8]

    /// Connects (or connects again) the member's Google account: one connection per member and workspace.
    func save(_ scope: TenantScope, userID: String, email: String?, refreshToken: String, accessToken: String, expiresIn: Int64) async throws -> GoogleConnection {
        let now = Timestamp.now(clock)
        let expires = clock.milliseconds + expiresIn * 1000
        try await database.prepare("""
            INSERT INTO google_connections (id, workspace_id, user_id, google_email, scope, refresh_token, access_token, access_expires_ms, status,
            status_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'connected', NULL, ?, ?)
            ON CONFLICT (workspace_id, user_id) DO UPDATE SET google_email = excluded.google_email, scope = excluded.scope,
            refresh_token = excluded.refresh_token, access_token = excluded.access_token, access_expires_ms = excluded.access_expires_ms,
            status = 'connected', status_reason = NULL, updated_at = excluded.updated_at
            """).bind(ResourceID.make("gcn"), scope.workspaceID, userID, email, GoogleCalendarConfig.scope, seal(refreshToken), seal(accessToken),
                      expires, now, now).run()
        guard let saved = try await get(scope, userID: userID) else { throw APIError.notFound("Google connection") }
        return saved
    }

    func get(_ scope: TenantScope, userID: String) async throws -> GoogleConnection? {
        try await database.prepare(GoogleConnection.select + " WHERE workspace_id = ? AND user_id = ?").bind(scope.workspaceID, userID).first(GoogleConnection.self)
    }

    func get(id: String) async throws -> GoogleConnection? {
        try await database.prepare(GoogleConnection.select + " WHERE id = ?").bind(id).first(GoogleConnection.self)
    }

    func storeAccess(_ connection: GoogleConnection, token: String, expiresIn: Int64) async throws {
        try await database.prepare("UPDATE google_connections SET access_token = ?, access_expires_ms = ?, updated_at = ? WHERE id = ? AND status = 'connected'")
            .bind(seal(token), clock.milliseconds + expiresIn * 1000, Timestamp.now(clock), connection.id).run()
    }

    /// The grant no longer holds: its tokens are dropped, the calendars stay (with what was synced) until
    /// the member connects again or removes them.
    func disconnect(_ connection: GoogleConnection, reason: String) async throws {
        try await database.prepare("""
            UPDATE google_connections SET status = 'disconnected', status_reason = ?, access_token = NULL, access_expires_ms = 0, updated_at = ? WHERE id = ?
            """).bind(reason, Timestamp.now(clock), connection.id).run()
    }

    /// The connection, its calendars and their events.
    func delete(_ connection: GoogleConnection) async throws {
        try await database.transaction { tx in
            try tx.run("DELETE FROM calendars WHERE connection_id = ?", connection.id)
            try tx.run("DELETE FROM google_connections WHERE id = ?", connection.id)
        }
    }

    func seal(_ text: String) -> String {
        CredentialKey.seal(text, key: key) ?? ""
    }

    func open(_ sealed: String?) -> String? {
        CredentialKey.open(sealed, key: key)
    }
}

extension GoogleConnectionStore {
    /// The Google account's address (its primary calendar's id).
    func name(_ connection: GoogleConnection, email: String) async throws {
        try await database.prepare("UPDATE google_connections SET google_email = ? WHERE id = ?").bind(email.lowercased(), connection.id).run()
    }
}

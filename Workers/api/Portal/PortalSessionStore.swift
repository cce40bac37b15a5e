import OzziRuntime

/// Portal sessions — one per signed-in device — and their refresh tokens, which rotate on every use. A
/// refresh token spent once and presented again means two parties hold it: the session is revoked
/// (`RefreshRotation`, as for workspace sessions). Only tokens' hashes are stored.
struct PortalSessionStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    /// How long a session lasts without signing in again (`PORTAL_SESSION_DAYS`, 30).
    let lifetimeMs: Int64

    /// What a refresh came to.
    enum Refreshed {
        case rotated(user: String, workspace: String, session: String, refreshToken: String)
        case reuseDetected(workspace: String, user: String, session: String)
        case rejected(String)
    }

    /// A new session for `user`; answers its id and first refresh token.
    func start(_ tx: SQLTransaction, workspace: String, user: String) throws -> (session: String, refreshToken: String) {
        let now = clock.milliseconds
        let session = ResourceID.make("prs")
        let refresh = Self.newRefreshToken()
        try tx.run("INSERT INTO portal_sessions (id, workspace_id, portal_user_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                   session, workspace, user, Timestamp.at(milliseconds: now + lifetimeMs), Timestamp.at(milliseconds: now))
        try tx.run("INSERT INTO portal_refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)",
                   Crypto.sha256Hex(refresh), session, Timestamp.at(milliseconds: now))
        return (session, refresh)
    }

    /// Spends `token` for a new one, or revokes its session when it was spent before.
    func refresh(_ token: String) async throws -> Refreshed {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let row = try tx.all("""
                SELECT t.used_at, s.id, s.workspace_id, s.portal_user_id, s.expires_at, s.revoked_at, u.status
                FROM portal_refresh_tokens t JOIN portal_sessions s ON s.id = t.session_id JOIN portal_users u ON u.id = s.portal_user_id
                  JOIN portal_settings ps ON ps.workspace_id = s.workspace_id AND ps.enabled = 1
                WHERE t.token_hash = ?
                """, Crypto.sha256Hex(token)).first
            let presented = row.map {
                RefreshRotation.Presented(alreadyUsed: $0.text("used_at") != nil, sessionRevoked: $0.text("revoked_at") != nil || $0.text("status") != "active",
                                          sessionExpired: ($0.text("expires_at") ?? "") <= now)
            }
            guard let row, let session = row.text("id"), let workspace = row.text("workspace_id"), let user = row.text("portal_user_id") else {
                return .rejected("unknown refresh token")
            }
            switch RefreshRotation.decide(presented) {
            case .rejected(let reason): return .rejected(reason)
            case .reuseDetected:
                try tx.run("UPDATE portal_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, session)
                return .reuseDetected(workspace: workspace, user: user, session: session)
            case .rotate:
                // Spent in the same statement that checks it is unspent: of two racing refreshes, one wins.
                guard try tx.run("UPDATE portal_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, Crypto.sha256Hex(token)).changes == 1 else {
                    try tx.run("UPDATE portal_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, session)
                    return .reuseDetected(workspace: workspace, user: user, session: session)
                }
                let next = Self.newRefreshToken()
                try tx.run("INSERT INTO portal_refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)", Crypto.sha256Hex(next), session, now)
                return .rotated(user: user, workspace: workspace, session: session, refreshToken: next)
            }
        }
    }

    /// Signs a session out: its access tokens stop working at once (the authenticator checks the session).
    func revoke(session: String) async throws {
        try await database.prepare("UPDATE portal_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(Timestamp.now(clock), session).run()
    }

    /// The portal user of a live session, when the token's claims name both: while the workspace's portal
    /// is on and the user's contact still exists (a deleted contact's records are not theirs to read).
    func principal(session: String, user: String, workspace: String) async throws -> PortalPrincipal? {
        guard let found = try await database.prepare("""
            SELECT \(PortalUser.columns(as: "u"))
            FROM portal_sessions s JOIN portal_users u ON u.id = s.portal_user_id
              JOIN contacts c ON c.workspace_id = u.workspace_id AND c.id = u.contact_id
              JOIN portal_settings ps ON ps.workspace_id = s.workspace_id AND ps.enabled = 1
            WHERE s.id = ? AND s.portal_user_id = ? AND s.workspace_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.status = 'active'
            """).bind(session, user, workspace, Timestamp.now(clock)).first(PortalUser.self) else { return nil }
        return PortalPrincipal(user: found, workspaceID: workspace, sessionID: session)
    }

    /// Sessions gone past their end (and their tokens), and links spent or expired a day ago.
    func sweep() async throws {
        let now = clock.milliseconds
        try await database.prepare("DELETE FROM portal_sessions WHERE expires_at < ?").bind(Timestamp.at(milliseconds: now)).run()
        try await database.prepare("DELETE FROM portal_links WHERE expires_at < ?").bind(Timestamp.at(milliseconds: now - 86_400_000)).run()
    }

    static func newRefreshToken() -> String {
        Crypto.token(prefix: "prt_")
    }
}

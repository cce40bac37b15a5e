import OzziRuntime

/// Sessions and their tokens. Access tokens live 15 minutes, refresh tokens rotate on every use and the
/// session expires after 30 days of no refresh; tokens are random and stored only as SHA-256 hashes.
struct SessionStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    static let accessTokenSeconds: Int64 = 900
    static let sessionSeconds: Int64 = 30 * 86_400

    /// The token answer, in OAuth 2's names.
    struct Tokens: Encodable, Sendable {
        let access_token: String
        let refresh_token: String
        let token_type = "Bearer"
        let expires_in = SessionStore.accessTokenSeconds
        let session_id: String
    }

    struct Session: Codable, SQLRecord, Sendable, Equatable {
        let id: String
        let created_at: String
        let last_used_at: String
        let expires_at: String
        let user_agent: String?
        let ip: String?
        enum CodingKeys: String, SQLColumn { case id, created_at, last_used_at, expires_at, user_agent, ip }
        typealias Columns = CodingKeys
    }

    func start(userID: String, userAgent: String?, ip: String?) async throws -> Tokens {
        let sessionID = ResourceID.make("ses")
        let now = Timestamp.now(clock)
        let expires = Timestamp.after(seconds: Self.sessionSeconds, clock)
        let tokens = Tokens(access_token: Crypto.token(prefix: "oat_"), refresh_token: Crypto.token(prefix: "ort_"), session_id: sessionID)
        let accessExpires = Timestamp.after(seconds: Self.accessTokenSeconds, clock)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, sessionID, userID, now, now, expires, userAgent.map { String($0.prefix(256)) }, ip)
            try Self.issue(tx, tokens, sessionID: sessionID, now: now, accessExpires: accessExpires)
        }
        return tokens
    }

    private static func issue(_ tx: SQLTransaction, _ tokens: Tokens, sessionID: String, now: String, accessExpires: String) throws {
        try tx.run("INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)",
                   Crypto.sha256Hex(tokens.refresh_token), sessionID, now)
        try tx.run("INSERT INTO access_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)",
                   Crypto.sha256Hex(tokens.access_token), sessionID, accessExpires)
    }

    enum RefreshOutcome {
        case rotated(Tokens, userID: String)
        case reuseDetected(sessionID: String, userID: String)
        case rejected(String)
    }

    /// Presents a refresh token: rotates it, or on reuse revokes its whole session.
    func refresh(_ token: String) async throws -> RefreshOutcome {
        let hash = Crypto.sha256Hex(token)
        let now = Timestamp.now(clock)
        let accessExpires = Timestamp.after(seconds: Self.accessTokenSeconds, clock)
        let sessionExpires = Timestamp.after(seconds: Self.sessionSeconds, clock)
        return try await database.transaction { tx -> RefreshOutcome in
            let found = try tx.first(PresentedToken.self, """
                SELECT r.used_at, r.session_id, s.user_id, s.revoked_at, s.expires_at FROM refresh_tokens r
                JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = ?
                """, hash)
            let graceStart = Timestamp.after(seconds: -RefreshRotation.graceSeconds, clock)
            let presented = found.map {
                RefreshRotation.Presented(alreadyUsed: $0.used_at != nil, usedJustNow: ($0.used_at ?? "") >= graceStart,
                                          sessionRevoked: $0.revoked_at != nil, sessionExpired: $0.expires_at <= now)
            }
            switch (RefreshRotation.decide(presented), found) {
            case (.rejected(let reason), _):
                return .rejected(reason)
            case (.reuseDetected, let token?):
                try Self.revoke(tx, sessionID: token.session_id, reason: "refresh_token_reuse", now: now)
                return .reuseDetected(sessionID: token.session_id, userID: token.user_id)
            case (.rotate, let token?):
                // Only if no request rotated it meanwhile (PostgreSQL runs two such transactions at once).
                guard try tx.run("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, hash).changes == 1 else {
                    return .rejected(RefreshRotation.raced)
                }
                try tx.run("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ?", now, sessionExpires, token.session_id)
                let tokens = Tokens(access_token: Crypto.token(prefix: "oat_"), refresh_token: Crypto.token(prefix: "ort_"), session_id: token.session_id)
                try Self.issue(tx, tokens, sessionID: token.session_id, now: now, accessExpires: accessExpires)
                return .rotated(tokens, userID: token.user_id)
            case (.reuseDetected, nil), (.rotate, nil):
                preconditionFailure("an unknown refresh token is always rejected")
            }
        }
    }

    /// A presented refresh token with its session's state.
    private struct PresentedToken: Decodable, SQLRecord {
        let used_at: String?
        let session_id: String
        let user_id: String
        let revoked_at: String?
        let expires_at: String

        enum CodingKeys: String, SQLColumn { case used_at, session_id, user_id, revoked_at, expires_at }
        typealias Columns = CodingKeys
    }

    func list(userID: String, page: PageRequest) async throws -> [Session] {
        try await database.prepare("""
            SELECT \(Session.selection) FROM sessions
            WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND id > ? ORDER BY id LIMIT ?
            """).bind(userID, Timestamp.now(clock), page.after ?? "", page.limit + 1).all(Session.self)
    }

    /// Revokes one of `userID`'s sessions; false if they have no such live session.
    func revoke(sessionID: String, userID: String, reason: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.all("SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND revoked_at IS NULL", sessionID, userID).first != nil else {
                return false
            }
            try Self.revoke(tx, sessionID: sessionID, reason: reason, now: now)
            return true
        }
    }

    func revokeAll(userID: String, reason: String) async throws -> Int {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let ids = try tx.all("SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL", userID).compactMap { $0.text("id") }
            for id in ids { try Self.revoke(tx, sessionID: id, reason: reason, now: now) }
            return ids.count
        }
    }

    private static func revoke(_ tx: SQLTransaction, sessionID: String, reason: String, now: String) throws {
        try tx.run("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL", now, reason, sessionID)
        try tx.run("DELETE FROM access_tokens WHERE session_id = ?", sessionID)
    }

    /// Drops expired access tokens and sessions long past their end (the maintenance sweep).
    func sweep() async throws -> Int {
        let now = Timestamp.now(clock)
        let tokens = try await database.prepare("DELETE FROM access_tokens WHERE expires_at <= ?").bind(now).run().changes
        let sessions = try await database.prepare("DELETE FROM sessions WHERE expires_at <= ?").bind(Timestamp.after(seconds: -Self.sessionSeconds, clock)).run().changes
        return tokens + sessions
    }
}

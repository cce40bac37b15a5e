import OzziRuntime

/// The single-use, expiring tokens mailed to an account's address — to verify it after sign-up, to reset
/// a password — stored only as SHA-256 hashes. Spending one is atomic: of two requests with one token,
/// one wins.
struct AccountTokens: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    enum Purpose: String, Sendable {
        case verifyEmail = "verify_email"
        case passwordReset = "password_reset"

        var lifetimeSeconds: Int64 {
            switch self {
            case .verifyEmail: 24 * 3600
            case .passwordReset: 30 * 60
            }
        }
    }

    /// What every refused token answers: a link that never worked, expired or was spent looks the same. A
    /// 409, as the token's state decides (the body is well formed either way).
    static let invalid = APIError(status: 409, code: "invalid_token", message: "this link is invalid, has expired or was already used; ask for a new one")

    /// Records `token` for `userID`'s `email`; `passwordHash` is the password a sign-up chose, set when the
    /// address is verified.
    func issue(_ token: String, _ purpose: Purpose, userID: String, email: String, passwordHash: String? = nil) async throws {
        try await database.prepare("""
            INSERT INTO account_tokens (token_hash, purpose, user_id, email, password_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).bind(Crypto.sha256Hex(token), purpose.rawValue, userID, email, passwordHash,
                      Timestamp.after(seconds: purpose.lifetimeSeconds, clock), Timestamp.now(clock)).run()
    }

    /// The password chosen by the latest sign-up still waiting for its address to be verified, if any.
    func pendingPassword(userID: String) async throws -> String? {
        try await database.prepare("""
            SELECT password_hash FROM account_tokens
            WHERE user_id = ? AND purpose = 'verify_email' AND used_at IS NULL AND password_hash IS NOT NULL
            ORDER BY created_at DESC LIMIT 1
            """).bind(userID).first()?.text("password_hash")
    }

    /// The account a live (unexpired, unspent) token is for, without spending it.
    func account(_ token: String, _ purpose: Purpose) async throws -> (userID: String, email: String) {
        guard let row = try await database.prepare("""
            SELECT user_id, email FROM account_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
            """).bind(Crypto.sha256Hex(token), purpose.rawValue, Timestamp.now(clock)).first(),
              let userID = row.text("user_id"), let email = row.text("email") else { throw Self.invalid }
        return (userID, email)
    }

    /// Spends a verification token: the address is verified, the password its sign-up chose becomes the
    /// account's, and every other verification link of the account stops working. Returns the user's id.
    func verifyEmail(_ token: String) async throws -> String {
        try await spend(token, .verifyEmail) { tx, found, now in
            if let password = found.passwordHash { try Self.setPassword(tx, userID: found.userID, hash: password, now: now) }
        }
    }

    /// Spends a password-reset token: sets `passwordHash` (the link proves the mailbox too, so the address
    /// counts as verified) and voids the account's other reset links. Returns the user's id.
    func resetPassword(_ token: String, passwordHash: String) async throws -> String {
        try await spend(token, .passwordReset) { tx, found, now in
            try Self.setPassword(tx, userID: found.userID, hash: passwordHash, now: now)
            // A sign-up's password still waiting for verification must not replace the one chosen now.
            try tx.run("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'verify_email' AND used_at IS NULL", now, found.userID)
        }
    }

    /// The address was proved another way (a sign-in provider vouches for it): the account counts as
    /// verified, and passwords chosen by sign-ups still waiting for verification are void, as whoever chose
    /// them never showed they own the address.
    func proved(userID: String, email: String) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("UPDATE users SET email_verified_at = coalesce(email_verified_at, ?), updated_at = ? WHERE id = ? AND email = ?", now, now, userID, email)
            try tx.run("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'verify_email' AND used_at IS NULL", now, userID)
        }
    }

    private struct Found {
        let userID: String
        let passwordHash: String?
    }

    private func spend(_ token: String, _ purpose: Purpose, _ then: @escaping @Sendable (SQLTransaction, Found, String) throws -> Void) async throws -> String {
        let now = Timestamp.now(clock)
        let hash = Crypto.sha256Hex(token)
        return try await database.transaction { tx -> String in
            guard let row = try tx.all("""
                SELECT user_id, email, password_hash FROM account_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
                """, hash, purpose.rawValue, now).first, let userID = row.text("user_id"), let email = row.text("email") else { throw Self.invalid }
            // Spent here and now: a second request with the same token finds nothing to update.
            guard try tx.run("UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, hash).changes == 1 else { throw Self.invalid }
            try tx.run("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL", now, userID, purpose.rawValue)
            // The link proves the mailbox of the address it was sent to, if the account still has it.
            guard try tx.run("UPDATE users SET email_verified_at = coalesce(email_verified_at, ?), updated_at = ? WHERE id = ? AND email = ?",
                             now, now, userID, email).changes == 1 else { throw Self.invalid }
            try then(tx, Found(userID: userID, passwordHash: row.text("password_hash")), now)
            return userID
        }
    }

    private static func setPassword(_ tx: SQLTransaction, userID: String, hash: String, now: String) throws {
        try tx.run("""
            INSERT INTO password_credentials (user_id, hash, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at
            """, userID, hash, now)
    }

    /// Drops tokens a month past their end (the maintenance sweep); a recent one stays, as the password a
    /// pending sign-up chose lives in it.
    func sweep() async throws -> Int {
        try await database.prepare("DELETE FROM account_tokens WHERE expires_at <= ?").bind(Timestamp.after(seconds: -30 * 86_400, clock)).run().changes
    }
}

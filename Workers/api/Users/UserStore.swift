import OzziRuntime

/// All SQL about users, their password credential and their linked identities.
struct UserStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// Creates a user with a personal workspace they own, and optionally a password or an identity, in
    /// one transaction. An email already taken is a 409. `verified`: the email is known to be the user's
    /// (a provider vouched for it); a sign-up's is verified later, by a mailed link.
    func create(email: String?, name: String?, anonymous: Bool, verified: Bool = false, passwordHash: String? = nil,
                identity: (provider: String, subject: String, email: String?)? = nil) async throws -> User {
        let now = Timestamp.now(clock)
        let verifiedAt = verified && email != nil ? now : nil
        let userID = ResourceID.make("usr")
        let workspaceID = ResourceID.make("wsp")
        do {
            try await database.transaction { tx in
                try WorkspaceStore.insert(tx, id: workspaceID, name: name.map { "\($0)'s workspace" } ?? "Personal", personal: true,
                                          creator: userID, now: now)
                try tx.run("""
                    INSERT INTO users (id, email, name, is_anonymous, personal_workspace_id, email_verified_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, userID, email, name, anonymous, workspaceID, verifiedAt, now, now)
                try tx.run("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)", workspaceID, userID, now)
                if let passwordHash {
                    try tx.run("INSERT INTO password_credentials (user_id, hash, updated_at) VALUES (?, ?, ?)", userID, passwordHash, now)
                }
                if let identity {
                    try tx.run("INSERT INTO identities (id, user_id, provider, subject, email, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               ResourceID.make("idn"), userID, identity.provider, identity.subject, identity.email, now)
                }
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("an account with this email already exists", details: .object(["field": .string("email")]))
        }
        return User(id: userID, email: email, name: name, is_anonymous: anonymous, is_platform_admin: false,
                    personal_workspace_id: workspaceID, email_verified_at: verifiedAt, created_at: now)
    }

    func find(id: String) async throws -> User? {
        try await database.prepare("SELECT \(User.selection) FROM users WHERE id = ?").bind(id).first(User.self)
    }

    func find(email: String) async throws -> User? {
        try await database.prepare("SELECT \(User.selection) FROM users WHERE email = ?").bind(email).first(User.self)
    }

    func passwordHash(userID: String) async throws -> String? {
        try await database.prepare("SELECT hash FROM password_credentials WHERE user_id = ?").bind(userID).first()?.text("hash")
    }

    /// Gives an anonymous user an email and a password: same user, same workspace, same data.
    func upgrade(userID: String, email: String, passwordHash: String) async throws {
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                try tx.run("UPDATE users SET email = ?, is_anonymous = 0, updated_at = ? WHERE id = ?", email, now, userID)
                try tx.run("""
                    INSERT INTO password_credentials (user_id, hash, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at
                    """, userID, passwordHash, now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("an account with this email already exists", details: .object(["field": .string("email")]))
        }
    }

    /// Adds a password sign-in to an existing account.
    func addPassword(userID: String, email: String, passwordHash: String) async throws {
        try await upgrade(userID: userID, email: email, passwordHash: passwordHash)
    }

    func owner(provider: String, subject: String) async throws -> String? {
        try await database.prepare("SELECT user_id FROM identities WHERE provider = ? AND subject = ?").bind(provider, subject).first()?.text("user_id")
    }

    func identities(userID: String) async throws -> [Identity] {
        try await database.prepare("SELECT \(Identity.selection) FROM identities WHERE user_id = ? ORDER BY created_at")
            .bind(userID).all(Identity.self)
    }

    /// Links an external identity; one that belongs to someone else is a 409.
    func link(userID: String, provider: String, subject: String, email: String?) async throws {
        if let owner = try await owner(provider: provider, subject: subject) {
            guard owner == userID else {
                throw APIError.conflict("this \(provider) account is already linked to another user; sign in with it, or unlink it there first")
            }
            return
        }
        do {
            try await database.prepare("""
                INSERT INTO identities (id, user_id, provider, subject, email, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """).bind(ResourceID.make("idn"), userID, provider, subject, email, Timestamp.now(clock)).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a \(provider) account is already linked to this user; unlink it first")
        }
        try await database.prepare("UPDATE users SET is_anonymous = 0, email = coalesce(email, ?), updated_at = ? WHERE id = ? AND is_anonymous = 1")
            .bind(email, Timestamp.now(clock), userID).run()
    }

    /// Removes a sign-in method; the last one stays (409), or the account could never sign in again.
    func unlink(userID: String, provider: String) async throws {
        try await database.transaction { tx in
            let methods = try tx.all("""
                SELECT (SELECT count(*) FROM identities WHERE user_id = ?) + (SELECT count(*) FROM password_credentials WHERE user_id = ?) AS n
                """, userID, userID).first?.integer("n") ?? 0
            let removed: SQLResult
            if provider == "password" {
                guard try tx.all("SELECT 1 FROM password_credentials WHERE user_id = ?", userID).first != nil else {
                    throw APIError.notFound("password sign-in")
                }
                guard methods > 1 else { throw APIError.conflict("the last sign-in method cannot be unlinked") }
                removed = try tx.run("DELETE FROM password_credentials WHERE user_id = ?", userID)
            } else {
                guard try tx.all("SELECT 1 FROM identities WHERE user_id = ? AND provider = ?", userID, provider).first != nil else {
                    throw APIError.notFound("\(provider) identity")
                }
                guard methods > 1 else { throw APIError.conflict("the last sign-in method cannot be unlinked") }
                removed = try tx.run("DELETE FROM identities WHERE user_id = ? AND provider = ?", userID, provider)
            }
            _ = removed
        }
    }

    /// `ozzi admin grant`: marks the account with this email a platform admin; false if there is none.
    func grantPlatformAdmin(email: String) async throws -> Bool {
        try await database.prepare("UPDATE users SET is_platform_admin = 1, updated_at = ? WHERE email = ?")
            .bind(Timestamp.now(clock), email).run().changes == 1
    }
}

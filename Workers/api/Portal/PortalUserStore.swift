import OzziRuntime

/// All SQL about portal users and the one-time links that activate them. An invitation names a contact; a
/// self sign-up names an address, linked to the workspace's contact with it (or a new one) only once the
/// link mailed to it is used, so nobody gets a portal onto records by typing someone else's address.
struct PortalUserStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(PortalUser.columns) FROM portal_users"

    /// A portal user deleted by another request mid-transaction (PostgreSQL's read committed lets it show).
    static let changed = APIError.conflict("the portal user changed while this ran; try again")

    enum Invited {
        case invited(PortalUser, token: String)
        case alreadyActive(PortalUser)
    }

    /// A portal user for `contactID` (made, or an invited one whose earlier links stop working) and a new
    /// invitation link; `alreadyActive` when the contact's address already has portal access.
    func invite(_ scope: TenantScope, contactID: String, email: String) async throws -> Invited {
        let now = clock.milliseconds
        let token = Self.newLinkToken()
        return try await database.transaction { tx in
            let user = try self.userForLink(tx, scope, email: email, contactID: contactID, now: now)
            if user.status == "active" { return .alreadyActive(user) }
            if user.status == "disabled" {
                try tx.run("UPDATE portal_users SET status = 'invited' WHERE id = ?", user.id)
            }
            try self.insertLink(tx, user: user.id, token: token, kind: .invitation, now: now)
            try WorkspaceEvents.record(tx, [(scope, "portal_user.invited", ["portal_user_id": .string(user.id), "contact_id": .string(contactID)])],
                                       at: Timestamp.at(milliseconds: now))
            guard let invited = try Self.get(tx, scope, id: user.id) else { throw Self.changed }
            return .invited(invited, token: token)
        }
    }

    /// A self sign-up of `email`: the link to confirm it, or nil when the address already has access
    /// (the route answers the same either way).
    func signUp(_ scope: TenantScope, email: String) async throws -> (PortalUser, token: String)? {
        let now = clock.milliseconds
        let token = Self.newLinkToken()
        return try await database.transaction { tx in
            let user = try self.userForLink(tx, scope, email: email, contactID: nil, now: now)
            guard user.status == "invited" else { return nil }
            try self.insertLink(tx, user: user.id, token: token, kind: .signUp, now: now)
            return (user, token)
        }
    }

    /// A link to choose a new password, for an active user with `email`; nil for anyone else (the route
    /// answers the same either way).
    func passwordReset(_ scope: TenantScope, email: String) async throws -> (PortalUser, token: String)? {
        let now = clock.milliseconds
        let token = Self.newLinkToken()
        return try await database.transaction { tx in
            guard let user = try tx.first(PortalUser.self, Self.select + " WHERE workspace_id = ? AND email = ? AND status = 'active'", scope.workspaceID, email) else {
                return nil
            }
            try self.insertLink(tx, user: user.id, token: token, kind: .reset, now: now)
            return (user, token)
        }
    }

    /// Records which email carried a link.
    func linkSent(token: String, messageID: String) async throws {
        try await database.prepare("UPDATE portal_links SET message_id = ? WHERE token_hash = ?").bind(messageID, Crypto.sha256Hex(token)).run()
    }

    /// Spends a link: sets the password, activates the user (signing out any sessions) and links the contact (the workspace's with the
    /// address, or a new one for a self sign-up). Nil when the link is unknown, spent or expired.
    func accept(token: String, passwordHash: String) async throws -> (PortalUser, workspace: String)? {
        let now = clock.milliseconds
        let stamp = Timestamp.at(milliseconds: now)
        return try await database.transaction { tx -> (PortalUser, workspace: String)? in
            guard let link = try tx.all("""
                SELECT l.portal_user_id, u.workspace_id, u.email, u.contact_id FROM portal_links l JOIN portal_users u ON u.id = l.portal_user_id
                  JOIN portal_settings ps ON ps.workspace_id = u.workspace_id AND ps.enabled = 1
                WHERE l.token_hash = ? AND l.used_at IS NULL AND l.expires_at > ? AND u.status <> 'disabled'
                """, Crypto.sha256Hex(token), stamp).first,
                  let userID = link.text("portal_user_id"), let workspace = link.text("workspace_id"), let email = link.text("email") else { return nil }
            // Spent with the check, so a link used twice at once activates once.
            guard try tx.run("UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", stamp, Crypto.sha256Hex(token)).changes == 1 else {
                return nil
            }
            let scope = TenantScope(workspaceID: workspace)
            var contactID = link.text("contact_id")
            if contactID == nil {
                contactID = try tx.all("SELECT id FROM contacts WHERE workspace_id = ? AND email = ? ORDER BY created_at LIMIT 1", workspace, email)
                    .first?.text("id")
            }
            if contactID == nil {
                let id = ResourceID.make("con")
                var input = ContactInput()
                input.email = .some(email)
                input.source = "api"
                input.notes = "Signed up to the client portal; the address was confirmed by a link mailed to it."
                try ContactStore.insert(tx, scope, id: id, input, now: stamp)
                try WorkspaceEvents.record(tx, [(scope, "contact.created", ["contact_id": .string(id)])], at: stamp)
                contactID = id
            }
            try tx.run("""
                UPDATE portal_users SET password_hash = ?, status = 'active', activated_at = coalesce(activated_at, ?), contact_id = ? WHERE id = ?
                """, passwordHash, stamp, contactID, userID)
            // Other links of the user are done with too, and a new password signs every device out.
            try tx.run("UPDATE portal_links SET used_at = ? WHERE portal_user_id = ? AND used_at IS NULL", stamp, userID)
            try tx.run("UPDATE portal_sessions SET revoked_at = ? WHERE portal_user_id = ? AND revoked_at IS NULL", stamp, userID)
            try WorkspaceEvents.record(tx, [(scope, "portal_user.activated", ["portal_user_id": .string(userID), "contact_id": .string(contactID!)])], at: stamp)
            guard let activated = try Self.get(tx, scope, id: userID) else { throw Self.changed }
            return (activated, workspace)
        }
    }

    /// The active user with `email` in the workspace and their password hash, for signing in.
    func credentials(workspace: String, email: String) async throws -> (PortalUser, hash: String)? {
        try await database.transaction { tx in
            guard let user = try tx.first(PortalUser.self, Self.select + " WHERE workspace_id = ? AND email = ? AND status = 'active'", workspace, email),
                  let hash = try tx.all("SELECT password_hash FROM portal_users WHERE id = ?", user.id).first?.text("password_hash") else { return nil }
            return (user, hash)
        }
    }

    func signedIn(_ user: String) async throws {
        try await database.prepare("UPDATE portal_users SET last_sign_in_at = ? WHERE id = ?").bind(Timestamp.now(clock), user).run()
    }

    func get(_ scope: TenantScope, id: String) async throws -> PortalUser? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(PortalUser.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [PortalUser] {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(PortalUser.self)
    }

    /// Ends a portal user's access: their sessions and links go with them.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM portal_users WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "portal_user.deleted", ["portal_user_id": .string(id)])], at: now)
            return true
        }
    }

    private static func get(_ tx: SQLTransaction, _ scope: TenantScope, id: String) throws -> PortalUser? {
        try tx.first(PortalUser.self, select + " WHERE workspace_id = ? AND id = ?", scope.workspaceID, id)
    }

    /// The user with `email`, made `invited` if there is none. An invitation's contact replaces a link to another.
    private func userForLink(_ tx: SQLTransaction, _ scope: TenantScope, email: String, contactID: String?, now: Int64) throws -> PortalUser {
        let stamp = Timestamp.at(milliseconds: now)
        try tx.run("""
            INSERT INTO portal_users (id, workspace_id, contact_id, email, status, created_at) VALUES (?, ?, ?, ?, 'invited', ?)
            ON CONFLICT (workspace_id, email) DO NOTHING
            """, ResourceID.make("pru"), scope.workspaceID, contactID, email, stamp)
        if let contactID {
            try tx.run("UPDATE portal_users SET contact_id = ? WHERE workspace_id = ? AND email = ? AND status <> 'active'", contactID, scope.workspaceID, email)
        }
        // Deleted by another transaction between the two statements (PostgreSQL's read committed): try again.
        guard let user = try tx.first(PortalUser.self, Self.select + " WHERE workspace_id = ? AND email = ?", scope.workspaceID, email) else {
            throw Self.changed
        }
        return user
    }

    private func insertLink(_ tx: SQLTransaction, user: String, token: String, kind: PortalLinkEmail.Kind, now: Int64) throws {
        // One live link per user: a new invitation replaces the last.
        try tx.run("UPDATE portal_links SET used_at = ? WHERE portal_user_id = ? AND used_at IS NULL", Timestamp.at(milliseconds: now), user)
        try tx.run("INSERT INTO portal_links (token_hash, portal_user_id, purpose, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                   Crypto.sha256Hex(token), user, kind.purpose, Timestamp.at(milliseconds: now + kind.lifetimeMs), Timestamp.at(milliseconds: now))
    }

    static func newLinkToken() -> String {
        Crypto.token(prefix: "pl_")
    }
}


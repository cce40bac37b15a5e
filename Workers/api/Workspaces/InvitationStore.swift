import OzziRuntime

/// All SQL about invitations: expiring (7 days), single-use tokens stored as hashes.
struct InvitationStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    static let lifetimeSeconds: Int64 = 7 * 86_400

    /// Records an invitation opened by `token` (the one its email carries).
    func create(_ scope: TenantScope, email: String, role: Role, invitedBy: String, token: String) async throws -> Invitation {
        let invitation = Invitation(id: ResourceID.make("inv"), email: email, role: role, invited_by: invitedBy,
                                    expires_at: Timestamp.after(seconds: Self.lifetimeSeconds, clock), accepted_at: nil,
                                    created_at: Timestamp.now(clock))
        try await database.prepare("""
            INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(invitation.id, scope.workspaceID, email, role.rawValue, Crypto.sha256Hex(token), invitedBy, invitation.expires_at,
                      invitation.created_at).run()
        return invitation
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [Invitation] {
        try await database.prepare("""
            SELECT \(Invitation.selection) FROM invitations
            WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?
            """).bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(Invitation.self)
    }

    func revoke(_ scope: TenantScope, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM invitations WHERE workspace_id = ? AND id = ? AND accepted_at IS NULL")
            .bind(scope.workspaceID, id).run().changes == 1
    }

    /// Accepts with `token` for a user whose email matches; makes them a member. Returns the workspace id.
    func accept(token: String, userID: String, email: String?) async throws -> String {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> String in
            guard let found = try tx.first(Scoped<Invitation>.self, "SELECT workspace_id, \(Invitation.selection) FROM invitations WHERE token_hash = ?",
                                           Crypto.sha256Hex(token)) else {
                throw APIError.notFound("invitation")
            }
            let invitation = found.record
            // The token is right but the invitation's state refuses it: a conflict, as the document states for any change.
            guard invitation.accepted_at == nil else { throw APIError.conflict("this invitation was already used") }
            guard invitation.expires_at > now else { throw APIError.conflict("this invitation expired; ask for a new one") }
            guard let email, email == invitation.email else {
                throw APIError.forbidden("this invitation is for another email address; sign in as \(invitation.email)")
            }
            try tx.run("UPDATE invitations SET accepted_at = ? WHERE id = ?", now, invitation.id)
            try tx.run("""
                INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (workspace_id, user_id) DO NOTHING
                """, found.scope.workspaceID, userID, invitation.role.rawValue, now)
            return found.scope.workspaceID
        }
    }
}

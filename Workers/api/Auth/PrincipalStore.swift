import OzziRuntime

/// The SQL behind authentication: one query per credential, answering the user and the workspace (with
/// the caller's role) together, so an authenticated request costs a single trip to the database.
struct PrincipalStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// What a credential resolves to.
    struct Resolved: Sendable {
        let user: User
        /// Nil when the user is not a member of the workspace asked for.
        let workspace: Workspace?
        let sessionID: String?
    }

    /// A live access token's session, user, and membership of `workspaceID` (or the personal workspace).
    func session(accessToken: String, workspaceID: String?) async throws -> Resolved? {
        let row = try await database.prepare("""
            SELECT s.id AS session_id, u.*, w.id AS w_id, w.name AS w_name, w.is_personal AS w_is_personal,
                   w.created_at AS w_created_at, m.role AS w_role
            FROM access_tokens a JOIN sessions s ON s.id = a.session_id JOIN users u ON u.id = s.user_id
            LEFT JOIN memberships m ON m.user_id = u.id AND m.workspace_id = coalesce(?, u.personal_workspace_id)
            LEFT JOIN workspaces w ON w.id = m.workspace_id
            WHERE a.token_hash = ? AND a.expires_at > ? AND s.revoked_at IS NULL
            """).bind(workspaceID, Crypto.sha256Hex(accessToken), Timestamp.now(clock)).first()
        guard let row else { return nil }
        return Resolved(user: try SQLRowDecoding.decode(User.self, row), workspace: Self.workspace(row), sessionID: row.text("session_id"))
    }

    /// An API key by its visible prefix: its secret hash and state, its creator and its workspace.
    struct Key: Sendable {
        let id: String
        let secretHash: String
        let active: Bool
        let resolved: Resolved
    }

    func apiKey(prefix: String) async throws -> Key? {
        let row = try await database.prepare("""
            SELECT k.id AS key_id, k.secret_hash, k.active, u.*, w.id AS w_id, w.name AS w_name, w.is_personal AS w_is_personal,
                   w.created_at AS w_created_at, m.role AS w_role
            FROM api_keys k JOIN users u ON u.id = k.created_by JOIN workspaces w ON w.id = k.workspace_id
            LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.created_by
            WHERE k.prefix = ?
            """).bind(prefix).first()
        guard let row, let id = row.text("key_id") else { return nil }
        return Key(id: id, secretHash: row.text("secret_hash") ?? "", active: row.integer("active") == 1,
                   resolved: Resolved(user: try SQLRowDecoding.decode(User.self, row), workspace: Self.workspace(row), sessionID: nil))
    }

    private static func workspace(_ row: SQLRow) -> Workspace? {
        guard let id = row.text("w_id"), let role = row.text("w_role").flatMap(Role.init) else { return nil }
        return Workspace(id: id, name: row.text("w_name") ?? "", is_personal: row.integer("w_is_personal") == 1,
                         created_at: row.text("w_created_at") ?? "", role: role)
    }
}

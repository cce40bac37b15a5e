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
        try await database.prepare("""
            SELECT s.id AS session_id, \(Self.principal)
            FROM access_tokens a JOIN sessions s ON s.id = a.session_id JOIN users u ON u.id = s.user_id
            LEFT JOIN memberships m ON m.user_id = u.id AND m.workspace_id = coalesce(?, u.personal_workspace_id)
            LEFT JOIN workspaces w ON w.id = m.workspace_id
            WHERE a.token_hash = ? AND a.expires_at > ? AND s.revoked_at IS NULL
            """).bind(workspaceID, Crypto.sha256Hex(accessToken), Timestamp.now(clock)).first(Resolved.self)
    }

    /// The same for a browser's remembered choice (`ozzi_workspace`): a workspace no longer theirs is their
    /// personal one, not an error.
    func session(accessToken: String, preferring preferred: String?) async throws -> Resolved? {
        guard let resolved = try await session(accessToken: accessToken, workspaceID: preferred) else { return nil }
        guard resolved.workspace == nil, preferred != nil else { return resolved }
        return try await session(accessToken: accessToken, workspaceID: nil)
    }

    /// An API key by its visible prefix: its secret hash and state, its creator and its workspace.
    struct Key: Sendable {
        let id: String
        let secretHash: String
        let active: Bool
        let resolved: Resolved
    }

    func apiKey(prefix: String) async throws -> Key? {
        try await database.prepare("""
            SELECT k.id AS key_id, k.secret_hash, k.active, NULL AS session_id, \(Self.principal)
            FROM api_keys k JOIN users u ON u.id = k.created_by JOIN workspaces w ON w.id = k.workspace_id
            LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.created_by
            WHERE k.prefix = ?
            """).bind(prefix).first(Key.self)
    }

    /// The user's columns, then the workspace's (`w_`, NULL without a membership): what `Resolved` reads.
    private static let principal = """
        \(User.selection(from: "u")), w.id AS w_id, w.name AS w_name, w.is_personal AS w_is_personal, w.created_at AS w_created_at,
        m.role AS w_role
        """
}

extension PrincipalStore.Resolved: SQLRecord {
    enum Columns: String, SQLColumn { case session_id, w_id, w_name, w_is_personal, w_created_at, w_role }

    init(row: SQLRecordRow<Columns>) throws {
        sessionID = try row.decodeIfPresent(String.self, forKey: .session_id)
        user = try row.record(User.self)
        if let id = try row.decodeIfPresent(String.self, forKey: .w_id), let role = try row.decodeIfPresent(Role.self, forKey: .w_role) {
            workspace = Workspace(id: id, name: try row.decode(String.self, forKey: .w_name), is_personal: try row.decode(Bool.self, forKey: .w_is_personal),
                                  created_at: try row.decode(String.self, forKey: .w_created_at), role: role)
        } else {
            workspace = nil
        }
    }
}

extension PrincipalStore.Key: SQLRecord {
    enum Columns: String, SQLColumn { case key_id, secret_hash, active }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .key_id)
        secretHash = try row.decode(String.self, forKey: .secret_hash)
        active = try row.decode(Bool.self, forKey: .active)
        resolved = try row.record(PrincipalStore.Resolved.self)
    }
}

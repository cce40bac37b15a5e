import OzziRuntime

/// All SQL about workspaces and memberships. A workspace the caller is not a member of does not exist
/// for them: every read joins on the caller's membership.
struct WorkspaceStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static func insert(_ tx: SQLTransaction, id: String, name: String, personal: Bool, creator: String, now: String) throws {
        try tx.run("INSERT INTO workspaces (id, name, is_personal, created_by, created_at) VALUES (?, ?, ?, ?, ?)", id, name, personal, creator, now)
    }

    func create(name: String, owner: String) async throws -> Workspace {
        let id = ResourceID.make("wsp")
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try WorkspaceStore.insert(tx, id: id, name: name, personal: false, creator: owner, now: now)
            try tx.run("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)", id, owner, now)
        }
        return Workspace(id: id, name: name, is_personal: false, created_at: now, role: .owner)
    }

    /// The workspace as `userID` sees it, or nil when they are not a member.
    func workspace(_ id: String, for userID: String) async throws -> Workspace? {
        try await database.prepare("""
            SELECT w.id, w.name, w.is_personal, w.created_at, m.role FROM workspaces w
            JOIN memberships m ON m.workspace_id = w.id AND m.user_id = ? WHERE w.id = ?
            """).bind(userID, id).first(Workspace.self)
    }

    func workspaces(for userID: String, page: PageRequest) async throws -> [Workspace] {
        try await database.prepare("""
            SELECT w.id, w.name, w.is_personal, w.created_at, m.role FROM workspaces w
            JOIN memberships m ON m.workspace_id = w.id AND m.user_id = ? WHERE w.id > ? ORDER BY w.id LIMIT ?
            """).bind(userID, page.after ?? "", page.limit + 1).all(Workspace.self)
    }

    func rename(_ scope: TenantScope, name: String) async throws {
        try await database.prepare("UPDATE workspaces SET name = ? WHERE id = ?").bind(name, scope.workspaceID).run()
    }

    func members(_ scope: TenantScope, page: PageRequest) async throws -> [Member] {
        try await database.prepare("""
            SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?
            """).bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(Member.self)
    }

    func member(_ scope: TenantScope, userID: String) async throws -> Member? {
        try await database.prepare("""
            SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = ? AND m.user_id = ?
            """).bind(scope.workspaceID, userID).first(Member.self)
    }

    func addMember(_ scope: TenantScope, userID: String, role: Role) async throws {
        try await database.prepare("""
            INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (workspace_id, user_id) DO NOTHING
            """).bind(scope.workspaceID, userID, role.rawValue, Timestamp.now(clock)).run()
    }

    /// Changes a role; a workspace always keeps at least one owner (409 otherwise).
    func setRole(_ scope: TenantScope, userID: String, role: Role) async throws {
        try await database.transaction { tx in
            try WorkspaceStore.keepAnOwner(tx, scope, changing: userID, to: role)
            try tx.run("UPDATE memberships SET role = ? WHERE workspace_id = ? AND user_id = ?", role.rawValue, scope.workspaceID, userID)
        }
    }

    func removeMember(_ scope: TenantScope, userID: String) async throws {
        try await database.transaction { tx in
            try WorkspaceStore.keepAnOwner(tx, scope, changing: userID, to: nil)
            try tx.run("DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?", scope.workspaceID, userID)
        }
    }

    private static func keepAnOwner(_ tx: SQLTransaction, _ scope: TenantScope, changing userID: String, to role: Role?) throws {
        guard role != .owner else { return }
        let owners = try tx.all("SELECT user_id FROM memberships WHERE workspace_id = ? AND role = 'owner'", scope.workspaceID)
            .compactMap { $0.text("user_id") }
        if owners == [userID] { throw APIError.conflict("a workspace keeps at least one owner") }
    }
}

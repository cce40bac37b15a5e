import OzziRuntime

/// All SQL about groups and their members. Membership changes only touch contacts of the same workspace.
struct GroupStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = """
        SELECT g.id, g.name, g.description, g.color, g.created_at, g.updated_at,
               (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) AS member_count
        FROM groups g
        """

    func create(_ scope: TenantScope, name: String, description: String, color: String) async throws -> Group {
        let id = ResourceID.make("grp")
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                try tx.run("""
                    INSERT INTO groups (id, workspace_id, name, description, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, id, scope.workspaceID, name, description, color, now, now)
                try WorkspaceEvents.record(tx, [(scope, "group.created", ["group_id": .string(id)])], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a group named '\(name)' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Group? {
        try await database.prepare(Self.select + " WHERE g.workspace_id = ? AND g.id = ?").bind(scope.workspaceID, id).first(Group.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [Group] {
        try await database.prepare(Self.select + " WHERE g.workspace_id = ? AND g.name > ? ORDER BY g.name LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(Group.self)
    }

    func update(_ scope: TenantScope, id: String, name: String?, description: String?, color: String?) async throws -> Group? {
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                guard try tx.run("""
                    UPDATE groups SET name = coalesce(?, name), description = coalesce(?, description), color = coalesce(?, color), updated_at = ?
                    WHERE workspace_id = ? AND id = ?
                    """, name, description, color, now, scope.workspaceID, id).changes == 1 else { return }
                try WorkspaceEvents.record(tx, [(scope, "group.updated", ["group_id": .string(id)])], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a group named '\(name ?? "")' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)
    }

    /// Deletes the group; its contacts stay.
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM groups WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "group.deleted", ["group_id": .string(id)])], at: now)
            return true
        }
    }

    /// Adds contacts (of this workspace only) in one transaction; returns how many were added.
    func add(_ scope: TenantScope, groupID: String, contactIDs: [String]) async throws -> Int {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let added = try Self.add(tx, scope, groupID: groupID, contactIDs: contactIDs, now: now)
            try WorkspaceEvents.record(tx, [(scope, "group.members_added", ["group_id": .string(groupID), "count": .number(Double(added))])], at: now)
            return added
        }
    }

    static func add(_ tx: SQLTransaction, _ scope: TenantScope, groupID: String, contactIDs: [String], now: String) throws -> Int {
        try tx.run("""
            INSERT INTO group_members (group_id, contact_id, added_at)
            SELECT ?, c.id, ? FROM contacts c WHERE c.workspace_id = ? AND c.id IN (SELECT value FROM \(tx.dialect.elements())) ON CONFLICT DO NOTHING
            """, groupID, now, scope.workspaceID, SQLList.json(contactIDs)).changes
    }

    func remove(_ scope: TenantScope, groupID: String, contactIDs: [String]) async throws -> Int {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let removed = try Self.remove(tx, groupID: groupID, contactIDs: contactIDs)
            try WorkspaceEvents.record(tx, [(scope, "group.members_removed", ["group_id": .string(groupID), "count": .number(Double(removed))])], at: now)
            return removed
        }
    }

    static func remove(_ tx: SQLTransaction, groupID: String, contactIDs: [String]) throws -> Int {
        try tx.run("DELETE FROM group_members WHERE group_id = ? AND contact_id IN (SELECT value FROM \(tx.dialect.elements()))",
                   groupID, SQLList.json(contactIDs)).changes
    }
}

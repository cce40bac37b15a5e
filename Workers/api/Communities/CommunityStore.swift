import OzziRuntime

/// All SQL about communities themselves and who may act in them (`access`). Members, channels, messages
/// and moderation have their own stores; each takes the `CommunityAccess` this one reads.
struct CommunityStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    /// The caller's standing in community `id`, or nil when to them it does not exist: no such community,
    /// or a hidden one they are not in (and do not run).
    func access(_ principal: Principal, id: String) async throws -> CommunityAccess? {
        guard let row = try await database.prepare("""
            SELECT \(Community.selection(from: "c")), m.role AS my_role, m.timed_out_until_ms, m.points FROM communities c
            LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = ? WHERE c.id = ?
            """).bind(principal.userID, id).first(CommunityListRow.self) else { return nil }
        return row.access(principal, nowMs: clock.milliseconds)
    }

    /// The caller's standing in every community they are in, or run as the workspace's admin.
    func accessible(_ principal: Principal) async throws -> [CommunityAccess] {
        let nowMs = clock.milliseconds
        return try await database.prepare("""
            SELECT \(Community.selection(from: "c")), m.role AS my_role, m.timed_out_until_ms, m.points FROM communities c
            LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = ?
            WHERE m.user_id IS NOT NULL OR (c.workspace_id = ? AND ? = 1) ORDER BY c.id
            """).bind(principal.userID, principal.scope.workspaceID, principal.role >= .admin).all(CommunityListRow.self)
            .compactMap { $0.access(principal, nowMs: nowMs) }.filter { $0.role != nil }
    }

    /// Makes a community with the caller as its owner and a `general` channel.
    func create(_ principal: Principal, _ input: CommunityInput) async throws -> Community {
        let id = ResourceID.make("cmy")
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                try tx.run("""
                    INSERT INTO communities (id, workspace_id, name, slug, description, visibility, join_policy, role_permissions,
                                             edit_window_seconds, member_count, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                    """, id, principal.scope.workspaceID, input.name ?? "", input.slug ?? "", input.description ?? "",
                    input.visibility ?? "public", input.joinPolicy ?? "open",
                    String(decoding: RolePermissions.defaults.json.jsonBytes, as: UTF8.self),
                    input.editWindowSeconds ?? Community.defaultEditWindowSeconds, principal.userID, now, now)
                try tx.run("INSERT INTO community_members (community_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)", id, principal.userID, now)
                try tx.run("INSERT INTO community_channels (id, community_id, name, topic, created_at, updated_at) VALUES (?, ?, 'general', '', ?, ?)",
                           ResourceID.make("chn"), id, now, now)
                try WorkspaceEvents.record(tx, [(principal.scope, "community.created", ["community_id": .string(id)])], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("the slug '\(input.slug ?? "")' is taken", details: .object(["field": "slug"]))
        }
        return try await database.prepare("SELECT \(Community.selection(from: "c")) FROM communities c WHERE c.id = ?").bind(id).first(Community.self)!
    }

    /// The communities the caller is in, and those of the caller's workspace they may see (all of them for
    /// its admins; hidden ones only for their members), by id.
    func list(_ principal: Principal, page: PageRequest) async throws -> [CommunityView] {
        let rows = try await database.prepare("""
            SELECT \(Community.selection(from: "c")), m.role AS my_role, m.timed_out_until_ms, m.points FROM communities c
            LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = ?
            WHERE (m.user_id IS NOT NULL OR (c.workspace_id = ? AND (c.visibility <> 'hidden' OR ? = 1))) AND c.id > ?
            ORDER BY c.id LIMIT ?
            """).bind(principal.userID, principal.scope.workspaceID, principal.role >= .admin, page.after ?? "", page.limit + 1)
            .all(CommunityListRow.self)
        let nowMs = clock.milliseconds
        return rows.map { CommunityView($0.community, myRole: $0.access(principal, nowMs: nowMs)?.role) }
    }

    func reload(_ access: CommunityAccess) async throws -> CommunityView {
        let community = try await database.prepare("SELECT \(Community.selection(from: "c")) FROM communities c WHERE c.id = ?").bind(access.community.id)
            .first(Community.self) ?? access.community
        return CommunityView(community, myRole: access.role)
    }

    /// Changes the community's settings (its admins and owner).
    func update(_ access: CommunityAccess, _ input: CommunityInput) async throws -> CommunityView {
        let now = Timestamp.now(clock)
        let event: CommunityEvent
        do {
            event = try await database.transaction { tx in
                try tx.run("""
                    UPDATE communities SET name = coalesce(?, name), slug = coalesce(?, slug), description = coalesce(?, description),
                    visibility = coalesce(?, visibility), join_policy = coalesce(?, join_policy), edit_window_seconds = coalesce(?, edit_window_seconds),
                    updated_at = ? WHERE id = ?
                    """, input.name, input.slug, input.description, input.visibility, input.joinPolicy, input.editWindowSeconds, now, access.community.id)
                return try CommunityLive.record(tx, access.community, channel: nil, "community.updated", ["changed": .array(input.changed.map(JSONValue.string))], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("the slug '\(input.slug ?? "")' is taken", details: .object(["field": "slug"]))
        }
        await live.publish(access.community.id, [event])
        return try await reload(access)
    }

    /// Sets `role`'s permission set.
    func setPermissions(_ access: CommunityAccess, role: CommunityRole, _ permissions: Set<CommunityPermission>) async throws -> CommunityView {
        var changed = access.community.roles
        changed.set(role, permissions)
        let roles = changed
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx in
            try tx.run("UPDATE communities SET role_permissions = ?, updated_at = ? WHERE id = ?",
                       String(decoding: roles.json.jsonBytes, as: UTF8.self), now, access.community.id)
            return try CommunityLive.record(tx, access.community, channel: nil, "roles.updated",
                                            ["role": .string(role.rawValue), "permissions": .array(permissions.map(\.rawValue).sorted().map(JSONValue.string))], at: now)
        }
        await live.publish(access.community.id, [event])
        return try await reload(access)
    }

    /// Sets the reputation levels.
    func setLevels(_ access: CommunityAccess, _ levels: ReputationLevels) async throws -> CommunityView {
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx in
            try tx.run("UPDATE communities SET levels = ?, updated_at = ? WHERE id = ?", levels.stored, now, access.community.id)
            try CommunityAudit.record(tx, access, action: "levels_updated", details: ["levels": levels.described], at: now)
            return try CommunityLive.record(tx, access.community, channel: nil, "levels.updated", ["levels": levels.described], at: now)
        }
        await live.publish(access.community.id, [event])
        return try await reload(access)
    }

    /// Recounts every member's points; returns how many members there are and how many were off.
    func recount(_ access: CommunityAccess) async throws -> (members: Int, corrected: Int) {
        try await database.transaction { tx in
            let corrected = try Reputation.recompute(tx, communityID: access.community.id)
            let members = try tx.all("SELECT count(*) AS n FROM community_members WHERE community_id = ?", access.community.id).first?.integer("n") ?? 0
            return (Int(members), corrected)
        }
    }

    /// Deletes the community with everything in it.
    func delete(_ access: CommunityAccess) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("DELETE FROM communities WHERE id = ?", access.community.id)
            try WorkspaceEvents.record(tx, [(access.scope, "community.deleted", ["community_id": .string(access.community.id)])], at: now)
        }
        _ = try? await live.pubsub.publish(CommunityLive.topic(access.community.id), ["type": "closed", "reason": "the community was deleted"])
    }
}

/// A community with the caller's membership, as access checks and lists read it.
struct CommunityListRow: SQLRecord, Sendable {
    let community: Community
    let myRole: String?
    let timedOutUntilMs: Int64?
    let points: Int

    enum Columns: String, SQLColumn { case my_role, timed_out_until_ms, points }

    init(row: SQLRecordRow<Columns>) throws {
        community = try row.record(Community.self)
        myRole = try row.decodeIfPresent(String.self, forKey: .my_role)
        timedOutUntilMs = try row.decodeIfPresent(Int64.self, forKey: .timed_out_until_ms)
        points = try row.decodeIfPresent(Int.self, forKey: .points) ?? 0
    }

    /// The caller's standing: their membership's role, raised to admin for the owning workspace's owners
    /// and admins; nil for a hidden community they neither are in nor run (it does not exist for them).
    func access(_ principal: Principal, nowMs: Int64) -> CommunityAccess? {
        let memberRole = myRole.flatMap(CommunityRole.init(rawValue:))
        let runsIt = principal.scope == community.scope && principal.role >= .admin
        let role = runsIt ? max(memberRole ?? .admin, .admin) : memberRole
        if community.visibility == "hidden", role == nil { return nil }
        return CommunityAccess(community: community, userID: principal.userID, memberRole: memberRole, role: role,
                               timedOutUntilMs: timedOutUntilMs, points: points, nowMs: nowMs)
    }
}

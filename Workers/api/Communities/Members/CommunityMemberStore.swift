import OzziRuntime

/// All SQL about who is in a community and with which role: joining, leaving, role changes, removal.
/// Every change is a live event and, where someone acted on someone else, an audit entry.
struct CommunityMemberStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    func list(_ access: CommunityAccess, role: String?, page: PageRequest) async throws -> [CommunityMember] {
        try await database.prepare(CommunityMember.select + """
             WHERE m.community_id = ? AND m.role = coalesce(?, m.role) AND m.user_id > ? ORDER BY m.user_id LIMIT ?
            """).bind(access.community.id, role, page.after ?? "", page.limit + 1).all(CommunityMember.self)
    }

    func get(_ access: CommunityAccess, userID: String) async throws -> CommunityMember? {
        try await database.prepare(CommunityMember.select + " WHERE m.community_id = ? AND m.user_id = ?").bind(access.community.id, userID)
            .first(CommunityMember.self)
    }

    /// Joins an open community (a ban that has not ended keeps them out); joining twice is a no-op.
    func join(_ access: CommunityAccess) async throws -> CommunityMember {
        let now = Timestamp.now(clock)
        let nowMs = clock.milliseconds
        let event: CommunityEvent? = try await database.transaction { tx in
            try JoiningStore.refuseBanned(tx, access.community.id, access.userID, nowMs: nowMs)
            return try Self.add(tx, access.community, userID: access.userID, role: .member, at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return try await get(access, userID: access.userID)!
    }

    /// Adds a member in `tx` (the member count with it); nil when they were one already.
    static func add(_ tx: SQLTransaction, _ community: Community, userID: String, role: CommunityRole, at now: String) throws -> CommunityEvent? {
        guard try tx.run("""
            INSERT INTO community_members (community_id, user_id, role, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, community.id, userID, role.rawValue, now).changes == 1 else { return nil }
        try tx.run("UPDATE communities SET member_count = member_count + 1 WHERE id = ?", community.id)
        // One who comes back finds the points their messages still earn.
        try Reputation.recompute(tx, communityID: community.id, userID: userID)
        return try CommunityLive.record(tx, community, channel: nil, "member.joined", ["user_id": .string(userID), "role": .string(role.rawValue)], at: now)
    }

    /// Takes a member out in `tx` (with their private-channel places, read positions stay harmless);
    /// nil when they were not one.
    static func drop(_ tx: SQLTransaction, _ community: Community, userID: String, type: String, data: JSONValue, at now: String) throws -> CommunityEvent? {
        guard try tx.run("DELETE FROM community_members WHERE community_id = ? AND user_id = ?", community.id, userID).changes == 1 else { return nil }
        try tx.run("UPDATE communities SET member_count = member_count - 1 WHERE id = ?", community.id)
        try tx.run("""
            DELETE FROM community_channel_members WHERE user_id = ? AND channel_id IN (SELECT id FROM community_channels WHERE community_id = ?)
            """, userID, community.id)
        return try CommunityLive.record(tx, community, channel: nil, type, data, at: now)
    }

    /// The caller leaves; the owner cannot (the community would have nobody above its admins).
    func leave(_ access: CommunityAccess) async throws -> Bool {
        guard let role = access.memberRole else { return false }
        if role == .owner { throw APIError.conflict("the owner cannot leave the community", details: .object(["state": "owner"])) }
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx in
            try Self.drop(tx, access.community, userID: access.userID, type: "member.left", data: ["user_id": .string(access.userID)], at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return event != nil
    }

    /// Gives `userID` another role: the caller must outrank both their role now and the one given.
    func setRole(_ access: CommunityAccess, userID: String, role: CommunityRole) async throws -> CommunityMember? {
        guard let target = try await get(access, userID: userID), let current = CommunityRole(rawValue: target.role) else { return nil }
        try access.require(.manage_roles, to: "change members' roles")
        guard userID != access.userID else { throw APIError.forbidden("you cannot change your own role") }
        try access.requireOutranks(current, to: "change the role of")
        guard access.outranks(role) else { throw APIError.forbidden("you cannot give a role (\(role.rawValue)) that is not below your own") }
        guard current != role else { return target }
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent in
            // Only if the role is still the one checked: a concurrent change is not overwritten unseen.
            guard try tx.run("UPDATE community_members SET role = ?, timed_out_until_ms = CASE WHEN ? = 1 THEN NULL ELSE timed_out_until_ms END WHERE community_id = ? AND user_id = ? AND role = ?",
                             role.rawValue, role >= .admin, access.community.id, userID, current.rawValue).changes == 1 else {
                throw APIError.conflict("the member's role changed meanwhile; read it again", details: .object(["field": "role"]))
            }
            try CommunityAudit.record(tx, access, action: "role_changed", targetUser: userID, details: ["from": .string(current.rawValue), "to": .string(role.rawValue)], at: now)
            return try CommunityLive.record(tx, access.community, channel: nil, "member.role_changed",
                                            ["user_id": .string(userID), "from": .string(current.rawValue), "role": .string(role.rawValue)], at: now)
        }
        await live.publish(access.community.id, [event])
        return try await get(access, userID: userID)
    }

    /// Removes `userID` (a kick: they may join again by the community's policy).
    func remove(_ access: CommunityAccess, userID: String, reason: String) async throws -> Bool {
        guard let target = try await get(access, userID: userID), let current = CommunityRole(rawValue: target.role) else { return false }
        try access.require(.moderate, to: "remove members")
        try access.requireOutranks(current, to: "remove")
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent? in
            try CommunityAudit.record(tx, access, action: "member_removed", targetUser: userID, reason: reason, at: now)
            return try Self.drop(tx, access.community, userID: userID, type: "member.removed", data: ["user_id": .string(userID), "reason": .string(reason)], at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return event != nil
    }
}

import OzziRuntime

/// Timeouts and bans. A timed-out member may read but not post or react until the timeout ends — checked
/// against the clock on every request, so it ends at exactly its time; the lifting job (and the sweep
/// behind it) then clears the row and tells the community's sockets. A ban removes the member and keeps
/// them out until it ends (or for good). Nobody restricts a member whose role is not below their own;
/// admins and the owner cannot be timed out at all.
struct ModerationStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive
    let jobs: any QueueProducer

    static let longestTimeoutSeconds = 28 * 86_400

    func timeout(_ access: CommunityAccess, userID: String, seconds: Int, reason: String) async throws -> CommunityMember? {
        guard let role = try await role(access, userID) else { return nil }
        try access.require(.moderate, to: "time members out")
        guard role < .admin else { throw APIError.forbidden("admins and the owner cannot be timed out") }
        try access.requireOutranks(role, to: "time out")
        let nowMs = clock.milliseconds
        let until = nowMs + Int64(seconds) * 1000
        let now = Timestamp.at(milliseconds: nowMs)
        let event = try await database.transaction { tx -> CommunityEvent in
            try tx.run("UPDATE community_members SET timed_out_until_ms = ? WHERE community_id = ? AND user_id = ?", until, access.community.id, userID)
            try CommunityAudit.record(tx, access, action: "member_timed_out", targetUser: userID, reason: reason,
                                      details: ["until": .string(Timestamp.at(milliseconds: until)), "seconds": .number(Double(seconds))], at: now)
            return try CommunityLive.record(tx, access.community, channel: nil, "member.timed_out",
                                            ["user_id": .string(userID), "until": .string(Timestamp.at(milliseconds: until)), "reason": .string(reason)], at: now)
        }
        await live.publish(access.community.id, [event])
        try await jobs.sendBatch([RestrictionEndsJob(communityID: access.community.id, userID: userID, restriction: "timeout", untilMs: until).message(nowMs: nowMs)])
        return try await CommunityMemberStore(database: database, clock: clock, live: live).get(access, userID: userID)
    }

    /// Ends a timeout early.
    func liftTimeout(_ access: CommunityAccess, userID: String, reason: String) async throws -> CommunityMember? {
        guard let role = try await role(access, userID) else { return nil }
        try access.require(.moderate, to: "lift timeouts")
        try access.requireOutranks(role, to: "lift the timeout of")
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent? in
            guard try tx.run("UPDATE community_members SET timed_out_until_ms = NULL WHERE community_id = ? AND user_id = ? AND timed_out_until_ms IS NOT NULL",
                             access.community.id, userID).changes == 1 else { return nil }
            try CommunityAudit.record(tx, access, action: "timeout_lifted", targetUser: userID, reason: reason, at: now)
            return try CommunityLive.record(tx, access.community, channel: nil, "member.timeout_ended", ["user_id": .string(userID), "early": true], at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return try await CommunityMemberStore(database: database, clock: clock, live: live).get(access, userID: userID)
    }

    /// Bans `userID` (a member or not: a ban can come before a join), for `seconds` or for good.
    func ban(_ access: CommunityAccess, userID: String, seconds: Int?, reason: String) async throws -> CommunityBan {
        try access.require(.moderate, to: "ban")
        guard userID != access.userID else { throw APIError.forbidden("you cannot ban yourself") }
        if let role = try await role(access, userID) { try access.requireOutranks(role, to: "ban") }
        guard try await database.prepare("SELECT 1 AS known FROM users WHERE id = ?").bind(userID).first() != nil else { throw APIError.notFound("user") }
        let nowMs = clock.milliseconds
        let until = seconds.map { nowMs + Int64($0) * 1000 }
        let now = Timestamp.at(milliseconds: nowMs)
        let events = try await database.transaction { tx -> [CommunityEvent] in
            try tx.run("""
                INSERT INTO community_bans (community_id, user_id, until_ms, reason, banned_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (community_id, user_id) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason,
                banned_by = excluded.banned_by, created_at = excluded.created_at
                """, access.community.id, userID, until, reason, access.userID, now)
            try CommunityAudit.record(tx, access, action: "member_banned", targetUser: userID, reason: reason,
                                      details: ["until": until.map { .string(Timestamp.at(milliseconds: $0)) } ?? .null], at: now)
            let data: JSONValue = ["user_id": .string(userID), "until": until.map { .string(Timestamp.at(milliseconds: $0)) } ?? .null, "reason": .string(reason)]
            let removed = try CommunityMemberStore.drop(tx, access.community, userID: userID, type: "member.banned", data: data, at: now)
            return [try removed ?? CommunityLive.record(tx, access.community, channel: nil, "member.banned", data, at: now)]
        }
        await live.publish(access.community.id, events)
        if let until {
            try await jobs.sendBatch([RestrictionEndsJob(communityID: access.community.id, userID: userID, restriction: "ban", untilMs: until).message(nowMs: nowMs)])
        }
        return try await bans(access, userID: userID, page: PageRequest(limit: 1, after: nil)).first!
    }

    func unban(_ access: CommunityAccess, userID: String, reason: String) async throws -> Bool {
        try access.require(.moderate, to: "lift bans")
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent? in
            guard try tx.run("DELETE FROM community_bans WHERE community_id = ? AND user_id = ?", access.community.id, userID).changes == 1 else { return nil }
            try CommunityAudit.record(tx, access, action: "member_unbanned", targetUser: userID, reason: reason, at: now)
            return try CommunityLive.record(tx, access.community, channel: nil, "member.unbanned", ["user_id": .string(userID)], at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return event != nil
    }

    func bans(_ access: CommunityAccess, userID: String? = nil, page: PageRequest) async throws -> [CommunityBan] {
        try await database.prepare("""
            SELECT user_id, until_ms, reason, banned_by, created_at FROM community_bans
            WHERE community_id = ? AND user_id = coalesce(?, user_id) AND user_id > ? ORDER BY user_id LIMIT ?
            """).bind(access.community.id, userID, page.after ?? "", page.limit + 1).all(CommunityBan.self)
    }

    private func role(_ access: CommunityAccess, _ userID: String) async throws -> CommunityRole? {
        try await database.prepare("SELECT role FROM community_members WHERE community_id = ? AND user_id = ?").bind(access.community.id, userID)
            .first()?.text("role").flatMap(CommunityRole.init(rawValue:))
    }

    /// Lifts what has ended by now: one restriction (the job), or every one (the sweep). A job that comes
    /// early (the queue's horizon) queues itself again.
    func lift(_ job: RestrictionEndsJob) async throws {
        let nowMs = clock.milliseconds
        if job.untilMs > nowMs {
            try await jobs.sendBatch([job.message(nowMs: nowMs)])
            return
        }
        try await liftEnded(communityID: job.communityID, userID: job.userID)
    }

    /// Clears every timeout and ban that has ended (of one member, when given), each with its event.
    func liftEnded(communityID: String? = nil, userID: String? = nil) async throws {
        let nowMs = clock.milliseconds
        let now = Timestamp.at(milliseconds: nowMs)
        let published = try await database.transaction { tx -> [(String, CommunityEvent)] in
            var published: [(String, CommunityEvent)] = []
            let timeouts = try tx.all("""
                SELECT community_id, user_id FROM community_members WHERE timed_out_until_ms IS NOT NULL AND timed_out_until_ms <= ?
                AND community_id = coalesce(?, community_id) AND user_id = coalesce(?, user_id) LIMIT 500
                """, nowMs, communityID, userID)
            let bans = try tx.all("""
                SELECT community_id, user_id FROM community_bans WHERE until_ms IS NOT NULL AND until_ms <= ?
                AND community_id = coalesce(?, community_id) AND user_id = coalesce(?, user_id) LIMIT 500
                """, nowMs, communityID, userID)
            for (rows, isBan) in [(timeouts, false), (bans, true)] {
                for row in rows {
                    guard let cid = row.text("community_id"), let uid = row.text("user_id"),
                          let community = try tx.first(Community.self, "SELECT \(Community.selection(from: "c")) FROM communities c WHERE c.id = ?", cid) else { continue }
                    if isBan {
                        try tx.run("DELETE FROM community_bans WHERE community_id = ? AND user_id = ?", cid, uid)
                    } else {
                        try tx.run("UPDATE community_members SET timed_out_until_ms = NULL WHERE community_id = ? AND user_id = ?", cid, uid)
                    }
                    try CommunityAudit.record(tx, communityID: cid, actor: "system", action: isBan ? "member_unbanned" : "timeout_lifted", targetUser: uid,
                                              reason: isBan ? "the ban ended" : "the timeout ended", at: now)
                    let event = try CommunityLive.record(tx, community, channel: nil, isBan ? "member.unbanned" : "member.timeout_ended",
                                                         ["user_id": .string(uid)], at: now)
                    published.append((cid, event))
                }
            }
            return published
        }
        for (cid, event) in published { await live.publish(cid, [event]) }
    }
}

/// A ban as moderators see it.
struct CommunityBan: Encodable, SQLRecord, Sendable {
    let user_id: String
    /// When it ends; null for good.
    let until: String?
    let reason: String
    let banned_by: String
    let created_at: String

    enum Columns: String, SQLColumn { case user_id, until_ms, reason, banned_by, created_at }

    init(row: SQLRecordRow<Columns>) throws {
        user_id = try row.decode(String.self, forKey: .user_id)
        until = try row.decodeIfPresent(Int64.self, forKey: .until_ms).map { Timestamp.at(milliseconds: $0) }
        reason = try row.decode(String.self, forKey: .reason)
        banned_by = try row.decode(String.self, forKey: .banned_by)
        created_at = try row.decode(String.self, forKey: .created_at)
    }
}

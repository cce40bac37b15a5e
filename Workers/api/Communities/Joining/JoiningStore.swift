import OzziRuntime

/// All SQL about getting into a community that is not open: join requests and invitations. Approving a
/// request or accepting an invitation adds the member in the same transaction (a ban that has not ended
/// refuses both), with its live event and, for a moderator's decision, an audit entry.
struct JoiningStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    // MARK: requests

    func request(_ access: CommunityAccess, message: String) async throws -> JoinRequest {
        guard !access.isMember else { throw APIError.conflict("you are already a member", details: .object(["state": "member"])) }
        guard access.community.join_policy == "request" else {
            throw APIError.conflict("this community's join policy is \(access.community.join_policy)", details: .object(["state": .string(access.community.join_policy)]))
        }
        try await Self.refuseBanned(database, access.community.id, access.userID, nowMs: clock.milliseconds)
        let id = ResourceID.make("cjr")
        do {
            try await database.prepare("""
                INSERT INTO community_join_requests (id, community_id, user_id, message, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
                """).bind(id, access.community.id, access.userID, message, Timestamp.now(clock)).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("you have asked to join already; a moderator will decide", details: .object(["state": "pending"]))
        }
        return try await database.prepare(JoinRequest.select + " WHERE r.id = ?").bind(id).first(JoinRequest.self)!
    }

    func requests(_ access: CommunityAccess, status: String?, page: PageRequest) async throws -> [JoinRequest] {
        let (key, id) = page.afterKeyAndID
        return try await database.prepare(JoinRequest.select + """
             WHERE r.community_id = ? AND r.status = coalesce(?, r.status) AND (r.created_at > ? OR (r.created_at = ? AND r.id > ?))
            ORDER BY r.created_at, r.id LIMIT ?
            """).bind(access.community.id, status, key, key, id, page.limit + 1).all(JoinRequest.self)
    }

    /// Approves (adding the member) or rejects a pending request; nil when there is no such request.
    func decide(_ access: CommunityAccess, id: String, approve: Bool, reason: String) async throws -> JoinRequest? {
        let now = Timestamp.now(clock)
        let nowMs = clock.milliseconds
        let event = try await database.transaction { tx -> CommunityEvent?? in
            guard let request = try tx.first(JoinRequest.self, JoinRequest.select + " WHERE r.id = ? AND r.community_id = ?", id, access.community.id) else { return .none }
            guard request.status == "pending" else {
                throw APIError.conflict("the request was \(request.status) already", details: .object(["state": .string(request.status)]))
            }
            if approve { try Self.refuseBanned(tx, access.community.id, request.user_id, nowMs: nowMs) }
            try tx.run("UPDATE community_join_requests SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                       approve ? "approved" : "rejected", reason, access.userID, now, id)
            try CommunityAudit.record(tx, access, action: approve ? "join_approved" : "join_rejected", targetUser: request.user_id, reason: reason, at: now)
            return .some(approve ? try CommunityMemberStore.add(tx, access.community, userID: request.user_id, role: .member, at: now) : nil)
        }
        guard case .some(let joined) = event else { return nil }
        if let joined { await live.publish(access.community.id, [joined]) }
        return try await database.prepare(JoinRequest.select + " WHERE r.id = ?").bind(id).first(JoinRequest.self)
    }

    // MARK: invitations

    /// Makes an invitation with `code` (a link's random code, or the token its email carries).
    func invite(_ access: CommunityAccess, code: String, email: String?, role: CommunityRole, maxUses: Int?, expiresInSeconds: Int?) async throws -> CommunityInvitation {
        let id = ResourceID.make("cinv")
        let expires = expiresInSeconds.map { clock.milliseconds + Int64($0) * 1000 }
        try await database.prepare("""
            INSERT INTO community_invitations (id, community_id, token_hash, email, role, max_uses, expires_at_ms, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(id, access.community.id, Crypto.sha256Hex(code), email, role.rawValue, email == nil ? maxUses : 1, expires, access.userID,
                      Timestamp.now(clock)).run()
        return try await database.prepare(Self.invitationSelect + " WHERE id = ?").bind(id).first(CommunityInvitation.self)!
    }

    static let invitationSelect = "SELECT id, community_id, email, role, max_uses, uses, expires_at_ms, created_by, created_at, revoked_at FROM community_invitations"

    func invitations(_ access: CommunityAccess, page: PageRequest) async throws -> [CommunityInvitation] {
        let (key, id) = page.afterKeyAndID
        return try await database.prepare(Self.invitationSelect + """
             WHERE community_id = ? AND (? = '' OR created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?
            """).bind(access.community.id, key, key, key, id, page.limit + 1).all(CommunityInvitation.self)
    }

    func revoke(_ access: CommunityAccess, id: String) async throws -> Bool {
        try await database.prepare("UPDATE community_invitations SET revoked_at = ? WHERE id = ? AND community_id = ? AND revoked_at IS NULL")
            .bind(Timestamp.now(clock), id, access.community.id).run().changes == 1
    }

    /// What an invitation opens, for its page: the community's name and the role, or nil when the code
    /// opens nothing now.
    func preview(code: String) async throws -> (community: Community, role: String)? {
        let nowMs = clock.milliseconds
        guard let row = try await database.prepare("""
            SELECT community_id, role FROM community_invitations WHERE token_hash = ? AND revoked_at IS NULL
            AND (expires_at_ms IS NULL OR expires_at_ms > ?) AND (max_uses IS NULL OR uses < max_uses)
            """).bind(Crypto.sha256Hex(code), nowMs).first(), let id = row.text("community_id"), let role = row.text("role"),
              let community = try await database.prepare("SELECT \(Community.selection(from: "c")) FROM communities c WHERE c.id = ?").bind(id)
                .first(Community.self) else { return nil }
        return (community, role)
    }

    /// Accepts with `code` for `userID` (whose verified address must be the invitation's, if it names
    /// one): one use is taken and they join with its role (a member already keeps theirs). Returns the
    /// community's id.
    func accept(code: String, userID: String, email: String?) async throws -> String {
        let now = Timestamp.now(clock)
        let nowMs = clock.milliseconds
        let (communityID, event) = try await database.transaction { tx -> (String, CommunityEvent?) in
            guard let invitation = try tx.first(CommunityInvitation.self, Self.invitationSelect + " WHERE token_hash = ?", Crypto.sha256Hex(code)) else {
                throw APIError.notFound("invitation")
            }
            // The code is right but the invitation's state refuses it: a conflict naming why.
            if invitation.revoked_at != nil { throw APIError.conflict("the invitation was withdrawn", details: .object(["state": "revoked"])) }
            if let expires = invitation.expires_at, (RFC3339.milliseconds(expires) ?? 0) <= nowMs {
                throw APIError.conflict("the invitation has expired", details: .object(["state": "expired"]))
            }
            if let invited = invitation.email, invited != email {
                throw APIError.conflict("the invitation is for another email address; sign in with that one", details: .object(["state": "other_address"]))
            }
            guard let community = try tx.first(Community.self, "SELECT \(Community.selection(from: "c")) FROM communities c WHERE c.id = ?", invitation.community_id) else {
                throw APIError.notFound("invitation")
            }
            if try tx.all("SELECT 1 AS one FROM community_members WHERE community_id = ? AND user_id = ?", community.id, userID).first != nil {
                return (community.id, nil)
            }
            try Self.refuseBanned(tx, community.id, userID, nowMs: nowMs)
            guard try tx.run("UPDATE community_invitations SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)",
                             invitation.id).changes == 1 else {
                throw APIError.conflict("the invitation has been used up", details: .object(["state": "used_up"]))
            }
            // A pending request is settled by the invitation.
            try tx.run("UPDATE community_join_requests SET status = 'approved', reason = 'invited', decided_at = ? WHERE community_id = ? AND user_id = ? AND status = 'pending'",
                       now, community.id, userID)
            return (community.id, try CommunityMemberStore.add(tx, community, userID: userID, role: CommunityRole(rawValue: invitation.role) ?? .member, at: now))
        }
        if let event { await live.publish(communityID, [event]) }
        return communityID
    }

    // MARK: bans

    static func refuseBanned(_ tx: SQLTransaction, _ communityID: String, _ userID: String, nowMs: Int64) throws {
        guard let ban = try tx.all("SELECT until_ms FROM community_bans WHERE community_id = ? AND user_id = ?", communityID, userID).first else { return }
        try refuse(until: ban.integer("until_ms"), nowMs: nowMs)
    }

    static func refuseBanned(_ database: any SQLDatabase, _ communityID: String, _ userID: String, nowMs: Int64) async throws {
        guard let ban = try await database.prepare("SELECT until_ms FROM community_bans WHERE community_id = ? AND user_id = ?").bind(communityID, userID).first() else { return }
        try refuse(until: ban.integer("until_ms"), nowMs: nowMs)
    }

    private static func refuse(until: Int64?, nowMs: Int64) throws {
        if let until, until <= nowMs { return }
        throw APIError.forbidden("you are banned from this community" + (until.map { " until \(Timestamp.at(milliseconds: $0))" } ?? ""))
    }
}

import OzziRuntime

/// Every moderation action in a community — who did what to whom, and why — written in the action's own
/// transaction, so no action goes unrecorded.
struct CommunityAuditEntry: Codable, SQLRecord, Sendable {
    let id: String
    let actor_id: String
    let action: String
    let target_user_id: String?
    let target_message_id: Int64?
    let target_channel_id: String?
    let reason: String
    let details: JSONValue
    let created_at: String

    enum CodingKeys: String, SQLColumn {
        case id, actor_id, action, target_user_id, target_message_id, target_channel_id, reason, details, created_at
    }
    typealias Columns = CodingKeys

    static let actions = ["role_changed", "member_removed", "member_timed_out", "timeout_lifted", "member_banned", "member_unbanned",
                          "message_deleted", "channel_created", "channel_updated", "channel_deleted", "channel_members_changed",
                          "roles_updated", "community_updated", "join_approved", "join_rejected", "submission_approved", "submission_rejected",
                          "levels_updated"]
}

enum CommunityAudit {
    static let reasonLimit = 512

    static func record(_ tx: SQLTransaction, _ access: CommunityAccess, action: String, targetUser: String? = nil, targetMessage: Int64? = nil,
                       targetChannel: String? = nil, reason: String = "", details: JSONValue = .object([:]), at now: String) throws {
        try record(tx, communityID: access.community.id, actor: access.userID, action: action, targetUser: targetUser, targetMessage: targetMessage,
                   targetChannel: targetChannel, reason: reason, details: details, at: now)
    }

    /// `actor` is `system` for what the system does by itself (a timeout that ran out).
    static func record(_ tx: SQLTransaction, communityID: String, actor: String, action: String, targetUser: String? = nil,
                       targetMessage: Int64? = nil, targetChannel: String? = nil, reason: String = "", details: JSONValue = .object([:]),
                       at now: String) throws {
        try tx.run("""
            INSERT INTO community_audit_log (id, community_id, actor_id, action, target_user_id, target_message_id, target_channel_id, reason, details, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, ResourceID.make("aud"), communityID, actor, action, targetUser, targetMessage, targetChannel, String(reason.prefix(reasonLimit)),
            String(decoding: details.jsonBytes, as: UTF8.self), now)
    }

    static func list(_ database: any SQLDatabase, _ access: CommunityAccess, action: String?, page: PageRequest) async throws -> [CommunityAuditEntry] {
        let (key, id) = page.afterKeyAndID
        return try await database.prepare("""
            SELECT id, actor_id, action, target_user_id, target_message_id, target_channel_id, reason, details, created_at FROM community_audit_log
            WHERE community_id = ? AND action = coalesce(?, action) AND (? = '' OR created_at < ? OR (created_at = ? AND id < ?))
            ORDER BY created_at DESC, id DESC LIMIT ?
            """).bind(access.community.id, action, key, key, key, id, page.limit + 1).all(CommunityAuditEntry.self)
    }
}

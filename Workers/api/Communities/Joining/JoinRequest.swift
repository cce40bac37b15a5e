import OzziRuntime

/// A request to join a community whose policy asks for one; a moderator approves or rejects it.
struct JoinRequest: Codable, SQLRecord, Sendable {
    let id: String
    let community_id: String
    let user_id: String
    let user_name: String?
    let message: String
    let status: String
    let reason: String
    let decided_by: String?
    let created_at: String
    let decided_at: String?

    enum CodingKeys: String, SQLColumn {
        case id, community_id, user_id, user_name, message, status, reason, decided_by, created_at, decided_at
    }
    typealias Columns = CodingKeys

    static let statuses = ["pending", "approved", "rejected"]

    static let select = """
        SELECT r.id, r.community_id, r.user_id, u.name AS user_name, r.message, r.status, r.reason, r.decided_by, r.created_at, r.decided_at
        FROM community_join_requests r JOIN users u ON u.id = r.user_id
        """
}

extension JoinRequest: APIModel {
    static let schemaName = "CommunityJoinRequest"
    static let schema = Schema.object([
        .required("id", Schema.string().example("cjr_01jd3k5v7n0000000000000000")),
        .required("community_id", .string()),
        .required("user_id", .string()),
        .optional("user_name", .string()),
        .required("message", Schema.string().described("What the requester wrote to the moderators")),
        .required("status", Schema.oneOf(statuses)),
        .required("reason", Schema.string().described("Why it was decided so (from the moderator)")),
        .optional("decided_by", .string()),
        .required("created_at", .timestamp),
        .optional("decided_at", .timestamp),
    ], closed: true)
}

import OzziRuntime

/// An invitation into a community: to one address (used once), or a link with an expiry, a number of uses
/// and the role it gives. Its code is shown once, when it is made; only its hash is kept.
struct CommunityInvitation: Codable, SQLRecord, Sendable {
    let id: String
    let community_id: String
    let email: String?
    let role: String
    let max_uses: Int?
    let uses: Int
    let expires_at: String?
    let created_by: String
    let created_at: String
    let revoked_at: String?

    enum Columns: String, SQLColumn { case id, community_id, email, role, max_uses, uses, expires_at_ms, created_by, created_at, revoked_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        community_id = try row.decode(String.self, forKey: .community_id)
        email = try row.decodeIfPresent(String.self, forKey: .email)
        role = try row.decode(String.self, forKey: .role)
        max_uses = try row.decodeIfPresent(Int.self, forKey: .max_uses)
        uses = try row.decode(Int.self, forKey: .uses)
        expires_at = try row.decodeIfPresent(Int64.self, forKey: .expires_at_ms).map { Timestamp.at(milliseconds: $0) }
        created_by = try row.decode(String.self, forKey: .created_by)
        created_at = try row.decode(String.self, forKey: .created_at)
        revoked_at = try row.decodeIfPresent(String.self, forKey: .revoked_at)
    }
}

extension CommunityInvitation: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("cinv_01jd3k5v7n0000000000000000")),
        .required("community_id", .string()),
        .optional("email", Schema.string().described("The one address it was sent to; absent for a link")),
        .required("role", Schema.oneOf(CommunityRole.assignable)),
        .optional("max_uses", Schema.integer(min: 1)),
        .required("uses", .integer(min: 0)),
        .optional("expires_at", .timestamp),
        .required("created_by", .string()),
        .required("created_at", .timestamp),
        .optional("revoked_at", .timestamp),
    ], closed: true)
}

/// An invitation as it is made: with its code and the link that opens it, shown this once.
struct CreatedCommunityInvitation: Encodable, Sendable {
    let invitation: CommunityInvitation
    let code: String
    let url: String

    static let schema = Schema.object([
        .required("invitation", .model(CommunityInvitation.self)),
        .required("code", Schema.string().example("cin_3q2-gN7tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1s")
            .described("Shown once: accept with it at POST /api/v1/community-invitations/accept")),
        .required("url", Schema.string().described("The page that accepts it for a signed-in account")),
    ], closed: true)
}

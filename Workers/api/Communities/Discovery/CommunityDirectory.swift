import OzziRuntime

/// Public and private communities of every workspace, for people looking for one: by name or words in
/// the description, ordered by members, by last week's messages, or newest first. Hidden ones never appear.
struct CommunityDirectory: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    static let sorts = ["members", "active", "new"]

    /// A page of `limit` from `offset` (the cursor of a directory is a position: activity moves all the time).
    func list(query: String?, sort: String, offset: Int, limit: Int) async throws -> [DirectoryEntry] {
        let weekAgo = Timestamp.at(milliseconds: clock.milliseconds - 7 * 86_400_000)
        let order = switch sort {
        case "active": "messages_last_week DESC, c.member_count DESC, c.id"
        case "new": "c.created_at DESC, c.id"
        default: "c.member_count DESC, c.id"
        }
        let pattern = query.map { "%" + Self.escapeLike($0.lowercased()) + "%" }
        return try await database.prepare("""
            SELECT c.id, c.name, c.slug, c.description, c.visibility, c.join_policy, c.member_count, c.created_at,
              (SELECT count(*) FROM community_messages m WHERE m.community_id = c.id AND m.created_at > ? AND m.deleted_at IS NULL) AS messages_last_week
            FROM communities c
            WHERE c.visibility IN ('public', 'private')
              AND (CAST(? AS TEXT) IS NULL OR lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.description) LIKE ? ESCAPE '\\')
            ORDER BY \(order) LIMIT ? OFFSET ?
            """).bind(weekAgo, pattern, pattern, pattern, limit + 1, offset).all(DirectoryEntry.self)
    }

    /// `%`, `_` and the escape itself stand for themselves in a LIKE pattern.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

/// A community as the directory lists it.
struct DirectoryEntry: Codable, SQLRecord, Sendable {
    let id: String
    let name: String
    let slug: String
    let description: String
    let visibility: String
    let join_policy: String
    let member_count: Int
    let messages_last_week: Int
    let created_at: String

    enum CodingKeys: String, SQLColumn { case id, name, slug, description, visibility, join_policy, member_count, messages_last_week, created_at }
    typealias Columns = CodingKeys
}

extension DirectoryEntry: APIModel {
    static let schemaName = "CommunityDirectoryEntry"
    static let schema = Schema.object([
        .required("id", Schema.string().example("cmy_01jd3k5v7n0000000000000000")),
        .required("name", .string()),
        .required("slug", .string()),
        .required("description", .string()),
        .required("visibility", Schema.oneOf(["public", "private"])),
        .required("join_policy", Schema.oneOf(Community.joinPolicies)),
        .required("member_count", .integer(min: 0)),
        .required("messages_last_week", .integer(min: 0)),
        .required("created_at", .timestamp),
    ], closed: true)
}

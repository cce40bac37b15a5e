import OzziRuntime

/// A place a workspace hosts for its customers or members: channels of live messages, roles and moderation.
struct Community: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let workspace_id: String
    let name: String
    let slug: String
    let description: String
    let visibility: String
    let join_policy: String
    let edit_window_seconds: Int
    let member_count: Int
    let last_seq: Int64
    let created_at: String
    let updated_at: String
    /// Stored JSON; answers show `roles` (see `CommunityView`).
    let role_permissions: String
    /// Stored JSON; answers show the levels with their numbers.
    let levels: String

    enum CodingKeys: String, SQLColumn {
        case id, workspace_id, name, slug, description, visibility, join_policy, edit_window_seconds, member_count, last_seq, created_at,
             updated_at, role_permissions, levels
    }
    typealias Columns = CodingKeys

    static let visibilities = ["public", "private", "hidden"]
    static let joinPolicies = ["open", "request", "invitation"]
    static let defaultEditWindowSeconds = 900

    var roles: RolePermissions { RolePermissions(stored: role_permissions) }
    var levelTable: ReputationLevels { ReputationLevels(stored: levels) }
    var scope: TenantScope { TenantScope(workspaceID: workspace_id) }

}

/// A community as the caller sees it: its fields, each role's permissions, and the caller's own place.
struct CommunityView: Encodable, Sendable {
    let id: String
    let workspace_id: String
    let name: String
    let slug: String
    let description: String
    let visibility: String
    let join_policy: String
    let edit_window_seconds: Int
    let member_count: Int
    let last_seq: Int64
    let roles: JSONValue
    let levels: JSONValue
    /// The caller's role, or null when they are not a member.
    let my_role: String?
    let created_at: String
    let updated_at: String

    init(_ community: Community, myRole: CommunityRole?) {
        id = community.id
        workspace_id = community.workspace_id
        name = community.name
        slug = community.slug
        description = community.description
        visibility = community.visibility
        join_policy = community.join_policy
        edit_window_seconds = community.edit_window_seconds
        member_count = community.member_count
        last_seq = community.last_seq
        roles = community.roles.described
        levels = community.levelTable.described
        my_role = myRole?.rawValue
        created_at = community.created_at
        updated_at = community.updated_at
    }
}

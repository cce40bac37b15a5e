import OzziRuntime

extension CommunityView: APIModel {
    static let schemaName = "Community"
    static let schema = Schema.object([
        .required("id", Schema.string().example("cmy_01jd3k5v7n0000000000000000")),
        .required("workspace_id", .string()),
        .required("name", Schema.string().example("Trail runners")),
        .required("slug", Schema.string().example("trail-runners")),
        .required("description", .string()),
        .required("visibility", Schema.oneOf(Community.visibilities)),
        .required("join_policy", Schema.oneOf(Community.joinPolicies)),
        .required("edit_window_seconds", .integer(min: 0)),
        .required("member_count", .integer(min: 0)),
        .required("last_seq", Schema.integer(min: 0).described("The seq of its latest live change: resume a socket after it")),
        .required("roles", Schema.dictionary(.array(Schema.oneOf(CommunityPermission.names)), keys: StringRules(allowed: CommunityRole.allCases.map(\.rawValue)))
            .described("Each role's permissions (the owner has all)")),
        .required("levels", ReputationLevels.schema.described("Reputation levels: the points each needs and the permissions it unlocks")),
        .optional("my_role", Schema.oneOf(CommunityRole.allCases.map(\.rawValue)).described("The caller's role; null when not a member")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

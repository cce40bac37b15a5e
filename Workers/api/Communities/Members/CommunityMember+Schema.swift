import OzziRuntime

extension CommunityMember: APIModel {
    static let schema = Schema.object([
        .required("user_id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .optional("name", Schema.string()),
        .required("role", Schema.oneOf(CommunityRole.allCases.map(\.rawValue))),
        .optional("timed_out_until", Schema.timestamp.described("May read but not post or react until then")),
        .required("joined_at", .timestamp),
    ], closed: true)
}

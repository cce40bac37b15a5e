import OzziRuntime

extension CommunityMember: APIModel {
    static let schema = Schema.object([
        .required("user_id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .optional("name", Schema.string()),
        .required("role", Schema.oneOf(CommunityRole.allCases.map(\.rawValue))),
        .optional("timed_out_until", Schema.timestamp.described("May read but not post or react until then")),
        .required("points", Schema.integer(min: 0).described("Reputation: 1 a message, 1 a reaction from someone else, 5 an approved submission")),
        .required("level", Schema.integer(min: 0).described("The reputation level the points reach (0: a new member)")),
        .required("joined_at", .timestamp),
    ], closed: true)
}

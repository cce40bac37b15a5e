import OzziRuntime

extension CommunityBan: APIModel {
    static let schema = Schema.object([
        .required("user_id", .string()),
        .optional("until", Schema.timestamp.described("When it ends; null: for good")),
        .required("reason", .string()),
        .required("banned_by", .string()),
        .required("created_at", .timestamp),
    ], closed: true)
}

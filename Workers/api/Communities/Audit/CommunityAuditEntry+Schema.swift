import OzziRuntime

extension CommunityAuditEntry: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("aud_01jd3k5v7n0000000000000000")),
        .required("actor_id", Schema.string().described("Who acted: a user id, or system for what ended by itself")),
        .required("action", Schema.oneOf(actions)),
        .optional("target_user_id", Schema.string()),
        .optional("target_message_id", Schema.integer(min: 1)),
        .optional("target_channel_id", Schema.string()),
        .required("reason", Schema.string(max: CommunityAudit.reasonLimit)),
        .required("details", .any),
        .required("created_at", .timestamp),
    ], closed: true)
}

import OzziRuntime

extension ChannelView: APIModel {
    static let schemaName = "CommunityChannel"
    static let schema = Schema.object([
        .required("id", Schema.string().example("chn_01jd3k5v7n0000000000000000")),
        .required("community_id", .string()),
        .required("name", Schema.string().example("general")),
        .required("topic", .string()),
        .required("private", .boolean),
        .required("overrides", ChannelInput.overridesSchema),
        .required("review", Schema.oneOf(CommunityChannel.reviewModes).described("Whose posts wait for approval: nobody's, new members' (level 0) or everyone's below moderator")),
        .required("my_permissions", .array(Schema.oneOf(CommunityPermission.names))),
        .required("my_posts_reviewed", Schema.boolean.described("Whether the caller's posts here wait for approval: submit them to the channel's submissions")),
        .required("unread_count", Schema.integer(min: 0).described("Top-level messages by others after the caller's read position")),
        .required("mention_count", Schema.integer(min: 0).described("Of those, and replies, the ones that mention the caller")),
        .required("last_read_id", .integer(min: 0)),
        .optional("last_message_id", Schema.integer(min: 1)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

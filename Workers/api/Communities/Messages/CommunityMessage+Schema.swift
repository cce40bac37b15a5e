import OzziRuntime

extension CommunityMessage: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.integer(min: 1).described("The community seq it was posted at: ids order messages")),
        .required("community_id", .string()),
        .required("channel_id", .string()),
        .optional("thread_id", Schema.integer(min: 1).described("A reply's thread: the id of its first message")),
        .required("author_id", .string()),
        .optional("author_name", Schema.string()),
        .required("body", Schema.string().example("Who is in for Saturday's 10k? <@usr_01jd3k5v7n0000000000000000>")),
        .required("mentions", .array(.string())),
        .required("reply_count", .integer(min: 0)),
        .optional("last_reply_at", Schema.timestamp),
        .required("reactions", .array(.model(ReactionCount.self))),
        .required("files", Schema.array(.model(CommunityFile.self)).described("Files posted with it (download each at its channel's files/{id})")),
        .optional("edited_at", Schema.timestamp),
        .required("created_at", .timestamp),
    ], closed: true)
}

extension ReactionCount: APIModel {
    static let schema = Schema.object([
        .required("emoji", Schema.string().example("+1").described("The emoji itself (any short text: a custom one's name too)")),
        .required("count", .integer(min: 1)),
        .required("me", Schema.boolean.described("Whether the caller reacted so")),
    ], closed: true)
}

extension MessageEdit: APIModel {
    static let schemaName = "CommunityMessageEdit"
    static let schema = Schema.object([
        .required("body", Schema.string().described("The text before the edit")),
        .required("replaced_at", .timestamp),
    ], closed: true)
}

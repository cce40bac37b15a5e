import OzziRuntime

extension Conversation: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("cnv_01jd3k5v7n0000000000000000")),
        .required("channel", Schema.oneOf(["widget"])),
        .optional("widget_id", Schema.string()),
        .optional("visitor_id", Schema.string()),
        .optional("contact_id", Schema.string().described("The contact, once a signed identify named the visitor")),
        .required("status", Schema.oneOf(statuses)),
        .optional("assignee_id", Schema.string().described("The member who handles it")),
        .required("last_seq", Schema.integer(min: 0)),
        .required("last_message_at", .timestamp),
        .required("last_message_preview", .string()),
        .required("agent_unread", Schema.integer(min: 0).described("Visitor messages after the team's last read")),
        .required("agent_read_seq", Schema.integer(min: 0)),
        .required("visitor_read_seq", Schema.integer(min: 0).described("The last message the visitor has seen (read receipt)")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

extension ConversationMessage: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("cmg_01jd3k5v7n0000000000000000")),
        .required("conversation_id", .string()),
        .required("seq", Schema.integer(min: 1)),
        .required("sender", Schema.oneOf(["visitor", "agent", "system"])),
        .optional("author_id", Schema.string().described("The member who wrote an agent message")),
        .required("body", .string()),
        .required("created_at", .timestamp),
    ], closed: true)

    /// What a message may say: 1-2,000 characters.
    static let bodyLimit = 2000
}

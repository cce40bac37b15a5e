import OzziRuntime

/// A conversation as its customer sees it in the portal: no assignee, no team-side counters.
struct PortalConversation: Encodable, Sendable {
    let id: String
    let status: String
    let last_message_at: String
    let last_message_preview: String
    let created_at: String

    init(_ conversation: Conversation) {
        id = conversation.id
        status = conversation.status
        last_message_at = conversation.last_message_at
        last_message_preview = conversation.last_message_preview
        created_at = conversation.created_at
    }
}

extension PortalConversation: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("cnv_01jd3k5v7n0000000000000000")),
        .required("status", Schema.oneOf(Conversation.statuses)),
        .required("last_message_at", .timestamp),
        .required("last_message_preview", Schema.string()),
        .required("created_at", .timestamp),
    ], closed: true)

    /// A message as the chat widget shows it (`ConversationMessage.forVisitor`): no agent ids.
    static let message = Schema.object([
        .required("id", Schema.string()), .required("seq", Schema.integer(min: 1)), .required("from", Schema.oneOf(["visitor", "agent", "system"])),
        .required("text", Schema.string()), .required("at", .timestamp),
    ], closed: true)
}

import OzziRuntime

/// Everything said with one contact, on every channel, newest first: SMS and email the workspace sent
/// (`messages`), SMS the contact sent (`inbound_messages`), and chat messages of the contact's conversations.
struct ContactHistoryItem: Codable, SQLRecord, APIModel, Sendable, Equatable {
    /// `sms`, `email` or `chat`.
    let channel: String
    /// `outbound` (the workspace to the contact) or `inbound`.
    let direction: String
    let id: String
    let at: String
    /// An SMS's or chat message's text, an email's subject.
    let text: String
    /// A sent message's status; absent for what the contact sent.
    let status: String?
    let conversation_id: String?

    enum CodingKeys: String, SQLColumn { case channel, direction, id, at, text, status, conversation_id }
    typealias Columns = CodingKeys

    static let schema = Schema.object([
        .required("channel", Schema.oneOf(["sms", "email", "chat"])),
        .required("direction", Schema.oneOf(["outbound", "inbound"])),
        .required("id", Schema.string().described("The message's id (msg_, inm_ or cmg_)")),
        .required("at", .timestamp),
        .required("text", Schema.string().described("The text sent, an email's subject")),
        .optional("status", Schema.string().described("Where a message the workspace sent stands")),
        .optional("conversation_id", Schema.string()),
    ], closed: true)

    /// One page, after the (at, id) of `page`'s cursor going back in time. A message not sent yet counts
    /// at its creation; an SMS the contact sent, at its receipt.
    /// `sentOnly`: only what reached the provider (the person's own view: nothing pending, canceled or in review).
    static func page(_ database: any SQLDatabase, _ scope: TenantScope, contactID: String, page: PageRequest,
                     sentOnly: Bool = false) async throws -> [ContactHistoryItem] {
        let (at, id) = page.after == nil ? ("\u{FFFF}", "") : page.afterKeyAndID
        return try await database.prepare("""
            SELECT channel, direction, id, at, text, status, conversation_id FROM (
              SELECT channel, 'outbound' AS direction, id, coalesce(sent_at, created_at) AS at,
                     coalesce(sent_text, body, (SELECT e.subject FROM email_contents e WHERE e.id = messages.content_id), '') AS text,
                     status, NULL AS conversation_id
              FROM messages WHERE workspace_id = ? AND contact_id = ?\(sentOnly ? " AND status IN ('sent', 'delivered', 'undelivered', 'failed')" : "")
              UNION ALL
              SELECT 'sms', 'inbound', id, received_at, body, NULL, NULL FROM inbound_messages WHERE workspace_id = ? AND contact_id = ?
              UNION ALL
              SELECT 'chat', CASE WHEN m.sender = 'visitor' THEN 'inbound' ELSE 'outbound' END, m.id, m.created_at, m.body, NULL, m.conversation_id
              FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.workspace_id = ? AND c.contact_id = ?
            ) AS history
            WHERE at < ? OR (at = ? AND id < ?)
            ORDER BY at DESC, id DESC LIMIT ?
            """).bind(scope.workspaceID, contactID, scope.workspaceID, contactID, scope.workspaceID, contactID, at, at, id, page.limit + 1)
            .all(ContactHistoryItem.self)
    }
}

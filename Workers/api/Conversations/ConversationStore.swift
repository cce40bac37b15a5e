import OzziRuntime

/// All SQL about conversations and their messages. A message takes its conversation's next `seq` by
/// bumping `last_seq` in the transaction that inserts it, so seqs have no gaps and no repeats, on either
/// engine. Each change records its `conversation.*` event in the same transaction.
struct ConversationStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(Conversation.columns) FROM conversations"

    /// A message from a visitor: into their conversation (made on their first message; a resolved one
    /// opens again). Answers the conversation and the message.
    func visitorMessage(_ visitor: WidgetVisitor, text: String) async throws -> (Conversation, ConversationMessage) {
        let scope = visitor.scope
        let now = Timestamp.now(clock)
        let (conversationID, message) = try await database.transaction { tx -> (String, ConversationMessage) in
            var events: [(TenantScope, String, JSONValue)] = []
            func existing() throws -> String? {
                try tx.execute("SELECT id FROM conversations WHERE visitor_id = ?", [.text(visitor.id)]).rows.first?.text("id")
            }
            var id = try existing()
            if id == nil {
                // One per visitor (a unique index): of two first messages at once, one makes it, the other joins it.
                let made = ResourceID.make("cnv")
                if try tx.run("""
                    INSERT INTO conversations (id, workspace_id, channel, widget_id, visitor_id, contact_id, status, last_message_at, created_at, updated_at)
                    VALUES (?, ?, 'widget', ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT DO NOTHING
                    """, made, scope.workspaceID, visitor.widgetID, visitor.id, visitor.contactID, now, now, now).changes == 1 {
                    events.append((scope, "conversation.created", ["conversation_id": .string(made)]))
                    id = made
                } else {
                    id = try existing()
                }
            }
            guard let id else { throw APIError.notFound("conversation") }
            let message = try Self.append(tx, scope, conversationID: id, sender: "visitor", authorID: nil, text: text, now: now)
            events.append((scope, "conversation.message_created", Self.eventData(message)))
            try WorkspaceEvents.record(tx, events, at: now)
            return (id, message)
        }
        return (try await get(scope, id: conversationID)!, message)
    }

    /// An agent's reply; nil when the workspace has no such conversation.
    func agentMessage(_ scope: TenantScope, conversationID: String, authorID: String, text: String) async throws -> ConversationMessage? {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx -> ConversationMessage? in
            guard try tx.execute("SELECT 1 FROM conversations WHERE workspace_id = ? AND id = ?", [.text(scope.workspaceID), .text(conversationID)])
                .rows.first != nil else { return nil }
            let message = try Self.append(tx, scope, conversationID: conversationID, sender: "agent", authorID: authorID, text: text, now: now)
            try WorkspaceEvents.record(tx, [(scope, "conversation.message_created", Self.eventData(message))], at: now)
            return message
        }
    }

    /// Inserts a message at the conversation's next seq and moves the conversation's summary with it: a
    /// visitor's message counts as unread for the team and opens a resolved conversation again.
    private static func append(_ tx: SQLTransaction, _ scope: TenantScope, conversationID: String, sender: String, authorID: String?,
                               text: String, now: String) throws -> ConversationMessage {
        let fromVisitor = sender == "visitor"
        guard let seq = try tx.execute("""
            UPDATE conversations SET last_seq = last_seq + 1, last_message_at = ?, last_message_preview = ?,
              agent_unread = agent_unread + ?, status = CASE WHEN ? = 1 AND status = 'resolved' THEN 'open' ELSE status END, updated_at = ?
            WHERE workspace_id = ? AND id = ? RETURNING last_seq
            """, [.text(now), .text(String(text.prefix(140))), .integer(fromVisitor ? 1 : 0), .integer(fromVisitor ? 1 : 0), .text(now),
                  .text(scope.workspaceID), .text(conversationID)]).rows.first?.integer("last_seq") else {
            throw APIError.notFound("conversation")
        }
        let message = ConversationMessage(id: ResourceID.make("cmg"), conversation_id: conversationID, seq: seq, sender: sender, author_id: authorID,
                                          body: text, created_at: now)
        try tx.run("""
            INSERT INTO conversation_messages (id, conversation_id, workspace_id, seq, sender, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, message.id, conversationID, scope.workspaceID, seq, sender, authorID, text, now)
        return message
    }

    private static func eventData(_ message: ConversationMessage) -> JSONValue {
        ["conversation_id": .string(message.conversation_id), "message_id": .string(message.id), "seq": .number(Double(message.seq)),
         "sender": .string(message.sender)]
    }

    func get(_ scope: TenantScope, id: String) async throws -> Conversation? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Conversation.self)
    }

    /// The visitor's conversation, if they have written.
    func ofVisitor(_ visitor: WidgetVisitor) async throws -> Conversation? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND visitor_id = ?")
            .bind(visitor.workspaceID, visitor.id).first(Conversation.self)
    }

    /// The inbox, latest activity first, filtered by status, assignee (`none` for unassigned) and unread.
    /// `contactID`: only that contact's (the client portal's view).
    func list(_ scope: TenantScope, status: String?, assignee: String?, unread: Bool, contactID: String? = nil, page: PageRequest) async throws -> [Conversation] {
        let (at, id) = page.afterKeyAndID
        var sql = Self.select + " WHERE workspace_id = ?"
        var values: [SQLValue] = [.text(scope.workspaceID)]
        if let contactID {
            sql += " AND contact_id = ?"
            values.append(.text(contactID))
        }
        if page.after != nil {
            sql += " AND (last_message_at < ? OR (last_message_at = ? AND id < ?))"
            values += [.text(at), .text(at), .text(id)]
        }
        if let status {
            sql += " AND status = ?"
            values.append(.text(status))
        }
        if let assignee {
            if assignee == "none" { sql += " AND assignee_id IS NULL" } else { sql += " AND assignee_id = ?"; values.append(.text(assignee)) }
        }
        if unread { sql += " AND agent_unread > 0" }
        sql += " ORDER BY last_message_at DESC, id DESC LIMIT ?"
        values.append(.integer(Int64(page.limit + 1)))
        return try await database.prepare(sql).bind(values).all(Conversation.self)
    }

    /// Messages after `after` (a seq), oldest first.
    func messages(conversationID: String, after: Int64, limit: Int) async throws -> [ConversationMessage] {
        try await database.prepare("""
            SELECT \(ConversationMessage.columns) FROM conversation_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?
            """).bind(conversationID, after, limit).all(ConversationMessage.self)
    }

    /// Changes status and assignee (`.some(nil)` unassigns); nil when there is no such conversation.
    func update(_ scope: TenantScope, id: String, status: String?, assignee: String??) async throws -> Conversation? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx -> Bool in
            guard try tx.run("""
                UPDATE conversations SET status = coalesce(?, status), assignee_id = CASE WHEN ? = 1 THEN ? ELSE assignee_id END, updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """, status, assignee == nil ? 0 : 1, assignee ?? nil, now, scope.workspaceID, id).changes == 1 else { return false }
            var data: [String: JSONValue] = ["conversation_id": .string(id)]
            if let status { data["status"] = .string(status) }
            if let assignee { data["assignee_id"] = assignee.map(JSONValue.string) ?? .null }
            try WorkspaceEvents.record(tx, [(scope, "conversation.updated", .object(data))], at: now)
            return true
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// The team has read everything so far: unread goes to 0, and the visitor's read receipt can say so.
    func agentRead(_ scope: TenantScope, id: String) async throws -> Conversation? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx -> Bool in
            guard try tx.run("""
                UPDATE conversations SET agent_read_seq = last_seq, agent_unread = 0, updated_at = ? WHERE workspace_id = ? AND id = ?
                """, now, scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "conversation.read", ["conversation_id": .string(id), "by": "agent"])], at: now)
            return true
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// The visitor has seen messages up to `seq` (never backwards, never past the last).
    func visitorRead(_ visitor: WidgetVisitor, seq: Int64) async throws -> Conversation? {
        guard let conversation = try await ofVisitor(visitor) else { return nil }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            guard try tx.run("""
                UPDATE conversations SET visitor_read_seq = CASE WHEN ? < last_seq THEN ? ELSE last_seq END, updated_at = ?
                WHERE id = ? AND visitor_read_seq < ? AND visitor_read_seq < last_seq
                """, seq, seq, now, conversation.id, seq).changes == 1 else { return }
            try WorkspaceEvents.record(tx, [(visitor.scope, "conversation.read",
                                             ["conversation_id": .string(conversation.id), "by": "visitor", "seq": .number(Double(seq))])], at: now)
        }
        return try await get(visitor.scope, id: conversation.id)
    }
}

import OzziRuntime

/// `/api/v1/conversations`: the team's inbox of chat conversations — list and filter, read the thread,
/// reply, assign, resolve, mark read. Visitors reach theirs through the widget (see `WidgetsDomain`).
struct ConversationsDomain: APIDomain {
    let conversations: ConversationStore
    let line: VisitorLine
    let events: WorkspaceEvents
    let database: any SQLDatabase

    init(_ api: APIEnvironment) throws {
        conversations = ConversationStore(database: api.database, clock: api.clock)
        line = VisitorLine(pubsub: try api.env.pubsub("LIVE"))
        events = api.events
        database = api.database
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/conversations").announcing(events).addConversationRoutes(self)
    }

    var publishes: [String] { ["conversation.created", "conversation.message_created", "conversation.updated", "conversation.read"] }

    /// A member's reply: stored, then sent to the visitor live. Nil when there is no such conversation.
    func reply(_ scope: TenantScope, conversationID: String, authorID: String, text: String) async throws -> ConversationMessage? {
        guard let message = try await conversations.agentMessage(scope, conversationID: conversationID, authorID: authorID, text: text),
              let conversation = try await conversations.get(scope, id: conversationID) else { return nil }
        if let visitor = conversation.visitor_id { await line.message(message, to: visitor) }
        return message
    }

    /// The team has read everything so far: unread goes to 0, and the visitor gets the read receipt.
    func markRead(_ scope: TenantScope, id: String) async throws -> Conversation? {
        guard let conversation = try await conversations.agentRead(scope, id: id) else { return nil }
        if let visitor = conversation.visitor_id { await line.read(upTo: conversation.agent_read_seq, to: visitor) }
        return conversation
    }

    /// Whether `userID` is a member of the workspace (an assignee must be).
    func isMember(_ scope: TenantScope, _ userID: String) async throws -> Bool {
        try await database.prepare("SELECT 1 FROM memberships WHERE workspace_id = ? AND user_id = ?").bind(scope.workspaceID, userID).first() != nil
    }
}

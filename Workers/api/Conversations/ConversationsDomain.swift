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

    /// Whether `userID` is a member of the workspace (an assignee must be).
    func isMember(_ scope: TenantScope, _ userID: String) async throws -> Bool {
        try await database.prepare("SELECT 1 FROM memberships WHERE workspace_id = ? AND user_id = ?").bind(scope.workspaceID, userID).first() != nil
    }
}

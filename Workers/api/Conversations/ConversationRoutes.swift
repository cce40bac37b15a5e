import OzziRuntime

/// `/api/v1/conversations`: the team's side of chat. Replies and read receipts also go live to the visitor
/// (`VisitorLine`); every change is a `conversation.*` event on the stream and to webhooks.
extension RouteGroup {
    func addConversationRoutes(_ s: ConversationsDomain) {
        list("", "The inbox: conversations by latest activity, filtered by status, assignee or unread", tag: "conversations",
             of: .model(Conversation.self), filters: Self.inboxFilters, key: { Cursor($0.last_message_at, $0.id).key }) { request, _, principal, page in
            let assignee = request.queryParameter("assignee").map { $0 == "me" ? principal.userID : $0 }
            return try await s.conversations.list(principal.scope, status: request.queryParameter("status"), assignee: assignee,
                                                  unread: request.queryParameter("unread") == "true", page: page)
        }

        one("One conversation", tag: "conversations", noun: "conversation", answers: .model(Conversation.self)) {
            try await s.conversations.get($0, id: $1)
        }

        authed("GET", "/:id/messages", "A conversation's messages after ?after= (a seq), oldest first", tag: "conversations",
               query: Self.threadParameters, answers: .json(Self.thread)) { request, context, principal in
            guard let conversation = try await s.conversations.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("conversation") }
            let after = Int64(request.queryParameter("after") ?? "0") ?? 0
            let limit = Int(request.queryParameter("limit") ?? "100") ?? 100
            let messages = try await s.conversations.messages(conversationID: conversation.id, after: after, limit: limit)
            return .json(Thread(data: messages, last_seq: conversation.last_seq))
        }

        authed("POST", "/:id/messages", "Reply; the visitor sees it live", tag: "conversations",
               body: .json(.object([.required("text", Schema.text(max: ConversationMessage.bodyLimit))], closed: true)),
               answers: .json(.model(ConversationMessage.self)), success: 201, creates: true) { request, context, principal in
            let text = try JSONBody(request).requiredString("text", max: ConversationMessage.bodyLimit).trimmingPrefixAndSuffixSpaces()
            guard !text.isEmpty else { throw APIError.invalidField("text", "must not be blank") }
            guard let message = try await s.reply(principal.scope, conversationID: context.parameter("id"), authorID: principal.userID, text: String(text)) else {
                throw APIError.notFound("conversation")
            }
            return .json(message, status: 201)
        }

        authed("PATCH", "/:id", "Change status (open, pending, resolved) or assignee (a member's user id, or null)", tag: "conversations",
               body: .json(.object([
                   .optional("status", Schema.oneOf(Conversation.statuses)),
                   .optional("assignee_id", Schema.string(min: 1, max: 64).nullable.described("A member of the workspace; null unassigns")),
               ], closed: true)), answers: .json(.model(Conversation.self))) { request, context, principal in
            let body = try JSONBody(request)
            let status = try body.choice("status", Conversation.statuses)
            var assignee: String??
            if body.fields["assignee_id"] == .null {
                assignee = .some(nil)
            } else if let id = try body.string("assignee_id", max: 64) {
                // Who is a member is the workspace's state, not the request's shape: a conflict.
                guard try await s.isMember(principal.scope, id) else {
                    throw APIError.conflict("\(id) is not a member of this workspace", details: .object(["field": "assignee_id"]))
                }
                assignee = .some(id)
            }
            guard let conversation = try await s.conversations.update(principal.scope, id: context.parameter("id"), status: status, assignee: assignee) else {
                throw APIError.notFound("conversation")
            }
            return .json(conversation)
        }

        authed("POST", "/:id/typing", "Say the team is typing (the visitor sees it for a few seconds; nothing is stored)", tag: "conversations",
               answers: .empty, success: 204) { _, context, principal in
            guard let conversation = try await s.conversations.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("conversation") }
            if let visitor = conversation.visitor_id { await s.line.typing(to: visitor) }
            return Response(status: 204)
        }

        authed("POST", "/:id/read", "Mark the conversation read by the team (unread to 0; the visitor gets a read receipt)", tag: "conversations",
               answers: .json(.model(Conversation.self))) { _, context, principal in
            guard let conversation = try await s.markRead(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("conversation") }
            return .json(conversation)
        }
    }

    static let inboxFilters: [Parameter] = [
        .query("status", .oneOf(Conversation.statuses), "Only conversations in this status"),
        .query("assignee", Schema.string(min: 1, max: 64).example("me"), "A member's user id, me, or none for unassigned"),
        .query("unread", .oneOf(["true", "false"]), "true: only those with messages the team has not read"),
    ]

    static let threadParameters: [Parameter] = [
        .query("after", Schema.string(max: 19, pattern: "^[0-9]+$").example("0"), "Messages after this seq (0: from the first)"),
        .query("limit", Schema.string(max: 3, pattern: "^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$").example("100"), "At most this many (1-500, default 100)"),
    ]

    struct Thread: Encodable {
        let data: [ConversationMessage]
        /// The conversation's latest seq: more to read while the last message's seq is below it.
        let last_seq: Int64
    }

    static let thread = Schema.object([
        .required("data", .array(.model(ConversationMessage.self))), .required("last_seq", .integer(min: 0)),
    ], closed: true)
}

import OzziRuntime

/// What the widget worker asks the api through its service binding. Only that binding reaches these
/// routes (`internal`); the worker has already checked the caller's origin and rate limits. Visitor
/// routes take the visitor's session token in `Authorization: Bearer`.
extension RouteGroup {
    /// `/internal/widgets/:key`: a widget by the key its script tag names, and new visitor sessions.
    func addWidgetServiceRoutes(_ s: WidgetsDomain) {
        /// The widget's public side: 404 for an unknown key, the config (with `enabled`) otherwise.
        service("GET", "/:key") { _, context in
            guard let widget = try await s.widgets.byPublicKey(context.parameter("key")) else { throw APIError.notFound("widget") }
            return .json(widget.publicConfig)
        }

        /// A session for a new visitor; an `identity` that verifies names them at once, one that does not
        /// is left out (the answer says why) and never links a contact.
        service("POST", "/:key/visitors") { request, context in
            guard let widget = try await s.widgets.byPublicKey(context.parameter("key")), widget.enabled else { throw APIError.notFound("widget") }
            let body = try JSONBody(optional: request)
            var identity: WidgetIdentity?
            var refusal: WidgetIdentity.Refusal?
            if let given = body.fields["identity"], given != .null {
                switch s.verify(given, widget: widget) {
                case .success(let verified): identity = verified
                case .failure(let why): refusal = why
                }
            }
            let (visitor, token) = try await s.visitors.create(widget, identity: identity)
            return .json(VisitorSession(visitor_token: token, visitor_id: visitor.id, identified: identity != nil,
                                        identity_error: refusal?.message), status: 201)
        }
    }

    /// `/internal/widget-visitor/...`: what a visitor's iframe does, as that visitor.
    func addWidgetVisitorRoutes(_ s: WidgetsDomain) {
        @Sendable func visitor(_ request: Request) async throws -> WidgetVisitor {
            guard let header = request.headers["authorization"], header.hasPrefix("Bearer "),
                  let visitor = try await s.visitors.byToken(String(header.dropFirst(7))) else {
                throw APIError.unauthorized("a visitor session is required")
            }
            return visitor
        }

        service("GET", "") { request, _ in
            let visitor = try await visitor(request)
            return .json(["id": .string(visitor.id), "topic": .string(visitor.topic), "identified": .bool(visitor.external_user_id != nil)] as JSONValue)
        }

        service("POST", "/identify") { request, _ in
            let visitor = try await visitor(request)
            // (Enabled: `visitor` found the session through an enabled widget.)
            guard let widget = try await s.widgets.get(visitor.scope, id: visitor.widget_id) else { throw APIError.notFound("widget") }
            let body = try JSONBody(request)
            switch s.verify(body.fields["identity"] ?? .null, widget: widget) {
            case .success(let identity):
                // A session (and its conversation) stays with the user it was identified as: on a shared
                // browser the next user must not read the last one's chat. The iframe starts a new session.
                if let known = visitor.external_user_id, known != identity.userID {
                    throw APIError(status: 409, code: "identity_changed", message: "this chat session belongs to another user; start a new one")
                }
                _ = try await s.visitors.identify(visitor, identity)
                return .json(["identified": true] as JSONValue)
            case .failure(let why):
                return .json(["identified": .bool(false), "identity_error": .string(why.message)] as JSONValue)
            }
        }

        service("POST", "/messages") { request, _ in
            let visitor = try await visitor(request)
            let text = try JSONBody(request).requiredString("text", max: ConversationMessage.bodyLimit).trimmingPrefixAndSuffixSpaces()
            guard !text.isEmpty else { throw APIError.invalidField("text", "must not be blank") }
            let (conversation, message) = try await s.conversations.visitorMessage(visitor, text: String(text))
            return .json(["conversation_id": .string(conversation.id), "message": message.forVisitor] as JSONValue, status: 201)
        }

        /// The visitor's messages after `?after=` (a seq), oldest first, up to 200, and how far the team read.
        service("GET", "/messages") { request, _ in
            let visitor = try await visitor(request)
            guard let after = Int64(request.queryParameter("after") ?? "0"), after >= 0 else {
                throw APIError.invalidField("after", "must be a message seq (a whole number)")
            }
            guard let conversation = try await s.conversations.ofVisitor(visitor) else {
                return .json(["conversation_id": .null, "messages": [], "agent_read_seq": 0] as JSONValue)
            }
            let messages = try await s.conversations.messages(conversationID: conversation.id, after: after, limit: 200)
            return .json(["conversation_id": .string(conversation.id), "messages": .array(messages.map(\.forVisitor)),
                          "agent_read_seq": .number(Double(conversation.agent_read_seq))] as JSONValue)
        }

        /// The visitor left an email address for replies. The answer is the same whether or not the workspace
        /// knows the address, so the chat box tells nobody who is a contact.
        service("POST", "/email") { request, _ in
            let visitor = try await visitor(request)
            let email = try EmailAddress.normalize(try JSONBody(request).requiredString("email", max: 320))
            try await s.visitors.leaveEmail(visitor, email)
            return .json(["saved": true] as JSONValue)
        }

        /// The visitor is typing: the team's live streams hear it (nothing is stored).
        service("POST", "/typing") { request, _ in
            let visitor = try await visitor(request)
            if let conversation = try await s.conversations.ofVisitor(visitor) {
                await s.events.announce(visitor.scope, "conversation.typing", ["conversation_id": .string(conversation.id), "by": "visitor"])
            }
            return Response(status: 204)
        }

        service("POST", "/read") { request, _ in
            let visitor = try await visitor(request)
            // Int64(exactly:) refuses what is not a whole number in range (1e19 would trap a plain conversion).
            guard let number = try JSONBody(request).fields["seq"]?.numberValue, let seq = Int64(exactly: number), seq >= 0 else {
                throw APIError.invalidField("seq", "must be a message seq (a whole number)")
            }
            _ = try await s.conversations.visitorRead(visitor, seq: seq)
            return Response(status: 204)
        }
    }

    struct VisitorSession: Encodable {
        let visitor_token: String
        let visitor_id: String
        let identified: Bool
        let identity_error: String?
    }
}

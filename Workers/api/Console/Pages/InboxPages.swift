import OzziRuntime

/// The inbox: widget conversations as they arrive (live), one conversation's thread (live, marked read as
/// it is shown, so the visitor gets the read receipt), replying, assigning and resolving.
extension ConsolePages {
    func addInboxPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let domain = console.domains.conversations
        let conversations = domain.conversations
        /// Who each conversation is with: its contact's name, else what the visitor told the widget. One query
        /// for the whole list (the list part is read again on every chat message).
        @Sendable func names(_ scope: TenantScope, _ list: [Conversation]) async throws -> [String: String] {
            guard !list.isEmpty else { return [:] }
            let database = domain.database
            let rows = try await database.prepare("""
                SELECT c.id, ct.name AS contact_name, ct.email AS contact_email, v.name AS visitor_name, v.email AS visitor_email
                FROM conversations c
                LEFT JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
                LEFT JOIN widget_visitors v ON v.workspace_id = c.workspace_id AND v.id = c.visitor_id
                WHERE c.workspace_id = ? AND c.id IN (SELECT value FROM \(database.dialect.elements()))
                """).bind(scope.workspaceID, SQLList.json(list.map(\.id))).all()
            var found: [String: InboxViews.Names] = [:]
            for row in rows {
                guard let id = row.text("id") else { continue }
                found[id] = InboxViews.Names(contact: row.text("contact_name"), visitor: row.text("visitor_name"),
                                             email: row.text("visitor_email") ?? row.text("contact_email"))
            }
            return Dictionary(uniqueKeysWithValues: list.map { ($0.id, InboxViews.who($0, found[$0.id] ?? InboxViews.Names())) })
        }

        get("/console/inbox") { request, _, viewer in
            let scope = viewer.principal.scope
            let page = try PageRequest(request, defaultLimit: 50)
            let status = request.queryParameter("status") ?? "open"
            guard status == "all" || Conversation.statuses.contains(status) else { throw APIError.invalidField("status", "is open, pending, resolved or all") }
            let assignee = request.queryParameter("assignee").flatMap { $0.isEmpty ? nil : $0 == "me" ? viewer.principal.userID : $0 }
            let rows = try await conversations.list(scope, status: status == "all" ? nil : status, assignee: assignee, unread: false, page: page)
            let listed = page.page(rows, key: { Cursor($0.last_message_at, $0.id).key }, item: { $0 })
            let part = InboxViews.rows(listed, names: try await names(scope, listed.data), request: request)
            if request.queryParameter("part") == InboxViews.listPart.name { return .html(part.text) }
            return try await shell.page(viewer, title: "Inbox", section: .inbox, InboxViews.list(request: request, rows: part))
        }

        /// The thread as it stands, read by the team now that it is on screen.
        @Sendable func thread(_ scope: TenantScope, _ conversation: Conversation, who: String) async throws -> HTML {
            if conversation.agent_unread > 0, try await domain.markRead(scope, id: conversation.id) != nil { domain.events.flushSoon() }
            let shown: Int64 = 100
            let messages = try await conversations.messages(conversationID: conversation.id, after: max(0, conversation.last_seq - shown), limit: Int(shown))
            var authors: [String: String] = [:]
            for member in try await console.shell.workspaces.members(scope, page: PageRequest(limit: 100, after: nil)) {
                authors[member.user_id] = member.name ?? member.email ?? "Team"
            }
            return InboxViews.thread(messages, who: who, earlier: conversation.last_seq > shown, names: authors)
        }

        @Sendable func page(_ viewer: ConsoleViewer, _ request: Request, id: String, error: String? = nil, status: Int = 200) async throws -> Response {
            let scope = viewer.principal.scope
            guard let conversation = try await conversations.get(scope, id: id) else { throw APIError.notFound("conversation") }
            let who = try await names(scope, [conversation])[conversation.id] ?? "Visitor"
            let shown = try await thread(scope, conversation, who: who)
            if request.queryParameter("part") == "thread" { return .html(shown.text) }
            let members = try await console.shell.workspaces.members(scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: who, section: .inbox,
                                        InboxViews.page(viewer, conversation, who: who, contactID: conversation.contact_id, thread: shown, members: members, error: error),
                                        status: status)
        }

        get("/console/inbox/:id") { request, context, viewer in try await page(viewer, request, id: context.parameter("id")) }

        post("/console/inbox/:id/reply") { request, context, viewer, form in
            let id = context.parameter("id")
            guard let text = form["text"] else { return try await page(viewer, request, id: id, error: "Write a reply first.", status: 422) }
            guard text.utf8.count <= ConversationMessage.bodyLimit else {
                return try await page(viewer, request, id: id, error: "A reply holds at most \(ConversationMessage.bodyLimit) bytes.", status: 422)
            }
            guard try await domain.reply(viewer.principal.scope, conversationID: id, authorID: viewer.principal.userID, text: text) != nil else {
                throw APIError.notFound("conversation")
            }
            domain.events.flushSoon()
            return ConsoleShell.redirect("/console/inbox/\(id)#reply-text")
        }

        post("/console/inbox/:id") { _, context, viewer, form in
            let scope = viewer.principal.scope, id = context.parameter("id")
            var status: String?
            var assignee: String??
            if let given = form["status"] {
                guard Conversation.statuses.contains(given) else { throw APIError.invalidField("status", "is open, pending or resolved") }
                status = given
            }
            if form["assign"] != nil {
                if let user = form["assignee_id"] {
                    guard try await domain.isMember(scope, user) else { throw APIError.conflict("\(user) is not a member of this workspace") }
                    assignee = .some(user)
                } else {
                    assignee = .some(nil)
                }
            }
            guard try await conversations.update(scope, id: id, status: status, assignee: assignee) != nil else { throw APIError.notFound("conversation") }
            domain.events.flushSoon()
            return ConsoleShell.redirect(status == "resolved" ? "/console/inbox" : "/console/inbox/\(id)")
        }
    }
}

import OzziRuntime

/// The markup of the inbox: the conversations (live), and one conversation's thread (live) with the reply,
/// assign and status forms beside it.
enum InboxViews {
    static let listPart = LivePart(name: "conversations", events: ["conversation.created", "conversation.message_created", "conversation.updated", "conversation.read"])

    static func threadPart(_ id: String) -> LivePart {
        LivePart(name: "thread", events: ["conversation.message_created", "conversation.updated"], key: "conversation_id", id: id)
    }

    /// Who a conversation is with, as a person reads it.
    struct Names {
        var contact: String?
        var visitor: String?
        var email: String?
    }

    static func who(_ conversation: Conversation, _ names: Names) -> String {
        if let name = names.contact, !name.isEmpty { return name }
        if let name = names.visitor, !name.isEmpty { return name }
        if let email = names.email { return email }
        return "Visitor " + String((conversation.visitor_id ?? conversation.id).suffix(6))
    }

    static func list(request: Request, rows: HTML) -> HTML {
        let status = request.queryParameter("status") ?? "open"
        let assignee = request.queryParameter("assignee") ?? ""
        let statuses = (Conversation.statuses + ["all"]).map { item -> HTML in
            "<option value=\"\(item)\"\(HTML.when(item == status, " selected"))>\(item == "all" ? "every status" : item)</option>"
        }
        let assignees = [("", "anyone"), ("me", "me"), ("none", "nobody")].map { value, label -> HTML in
            "<option value=\"\(value)\"\(HTML.when(value == assignee, " selected"))>\(label)</option>"
        }
        return """
            <h1>Inbox</h1>
            <form class="panel filters" method="get" action="/console/inbox">
            <div><label for="inbox-status">Status</label><select id="inbox-status" name="status">\(statuses)</select></div>
            <div><label for="inbox-assignee">Assigned to</label><select id="inbox-assignee" name="assignee">\(assignees)</select></div>
            <div><button type="submit">Show</button></div>
            </form>
            \(listPart.html(rows))
            """
    }

    static func rows(_ page: Page<Conversation>, names: [String: String], request: Request) -> HTML {
        guard !page.data.isEmpty else { return "<p class=\"panel\">No conversations here. Chats from the widget on your site arrive in this list as they start.</p>" }
        let rows = page.data.map { conversation -> HTML in
            let unread: HTML = conversation.agent_unread > 0
                ? "<span class=\"badge\" aria-label=\"\(conversation.agent_unread) unread\">\(conversation.agent_unread)</span>" : .empty
            return """
                <tr\(HTML.when(conversation.agent_unread > 0, " class=\"unread\""))><td data-label="With"><a href="/console/inbox/\(conversation.id)">\(names[conversation.id] ?? "Visitor")</a> \(unread)</td>
                <td data-label="Last message">\(String(conversation.last_message_preview.prefix(120)))</td>
                <td data-label="Status"><span class="tag">\(conversation.status)</span></td>
                <td data-label="When"><time datetime="\(conversation.last_message_at)">\(conversation.last_message_at)</time></td></tr>
                """
        }
        return """
            <table class="rows"><caption class="visually-hidden">Conversations, latest activity first</caption>
            <thead><tr><th scope="col">With</th><th scope="col">Last message</th><th scope="col">Status</th><th scope="col">When</th></tr></thead>
            <tbody>\(rows)</tbody></table>\(NextPageLink.html("/console/inbox", request: request, cursor: page.next_cursor, label: "Older conversations", drop: ["part"]))
            """
    }

    static func page(_ viewer: ConsoleViewer, _ conversation: Conversation, who: String, contactID: String?, thread: HTML, members: [Member], error: String?) -> HTML {
        let assignees = [HTML(raw: "<option value=\"\">Nobody</option>")] + members.map { member -> HTML in
            let label = member.user_id == viewer.principal.userID ? "Me (\(member.name ?? member.email ?? member.user_id))" : member.name ?? member.email ?? member.user_id
            return "<option value=\"\(member.user_id)\"\(HTML.when(member.user_id == conversation.assignee_id, " selected"))>\(label)</option>"
        }
        let moves: [(String, String)] = switch conversation.status {
        case "resolved": [("open", "Reopen")]
        case "pending": [("resolved", "Resolve"), ("open", "Back to open")]
        default: [("resolved", "Resolve"), ("pending", "Waiting on them")]
        }
        let statusButtons = moves.map { status, label -> HTML in "<button type=\"submit\" name=\"status\" value=\"\(status)\">\(label)</button>" }
        return """
            <p><a href="/console/inbox">Inbox</a></p>
            <h1>\(who)</h1>
            <div class="conversation">
            <section class="panel" aria-labelledby="thread-heading"><h2 id="thread-heading" class="visually-hidden">Messages</h2>
            \(threadPart(conversation.id).html(thread, element: "div", polite: true))
            <form method="post" action="/console/inbox/\(conversation.id)/reply" class="reply">\(Layout.csrfField(viewer))
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            <label for="reply-text">Reply</label>
            <textarea id="reply-text" name="text" rows="3" required maxlength="\(ConversationMessage.bodyLimit)" data-submit-on-enter autofocus></textarea>
            <p class="hint">Enter sends; Shift+Enter starts a new line. The visitor sees the reply at once.</p>
            <div class="actions"><button type="submit">Send reply</button></div>
            </form>
            </section>
            <aside class="panel" aria-labelledby="manage-heading"><h2 id="manage-heading">Conversation</h2>
            <dl class="facts"><dt>Status</dt><dd><span class="tag" id="conversation-status">\(conversation.status)</span></dd>
            <dt>Channel</dt><dd>\(conversation.channel)</dd>
            <dt>Started</dt><dd>\(conversation.created_at)</dd>
            \(contactID.map { "<dt>Contact</dt><dd><a href=\"/console/contacts/\($0)\">Open the contact</a></dd>" as HTML } ?? .empty)</dl>
            <form method="post" action="/console/inbox/\(conversation.id)">\(Layout.csrfField(viewer))
            <label for="assignee">Assigned to</label>
            <select id="assignee" name="assignee_id">\(assignees)</select>
            <div class="actions"><button type="submit" name="assign" value="1">Assign</button></div>
            </form>
            <form method="post" action="/console/inbox/\(conversation.id)">\(Layout.csrfField(viewer))
            <div class="actions">\(statusButtons)</div>
            </form>
            </aside>
            </div>
            """
    }

    /// The thread: the latest messages, oldest first, each saying who wrote it.
    static func thread(_ messages: [ConversationMessage], who: String, earlier: Bool, names: [String: String]) -> HTML {
        guard !messages.isEmpty else { return "<p class=\"hint\">No messages yet.</p>" }
        let items = messages.map { message -> HTML in
            let author = switch message.sender {
            case "visitor": who
            case "agent": message.author_id.flatMap { names[$0] } ?? "Team"
            default: "Ozzi"
            }
            return """
                <li class="from-\(message.sender)" data-seq="\(Int(message.seq))"><span class="author">\(author)</span>\
                <time datetime="\(message.created_at)">\(String(message.created_at.dropFirst(11).prefix(5)))</time>\
                <p>\(message.body)</p></li>
                """
        }
        return """
            \(HTML.when(earlier, "<p class=\"hint\">Earlier messages are in the API: GET /api/v1/conversations/:id/messages.</p>"))
            <ol class="thread">\(items)</ol>
            """
    }
}

import OzziRuntime

/// Messages: the last day's sends hour by hour, every message newest first with a status filter, a retry
/// for those that failed, and a new SMS to a group or a contact, now or later, previewed as it is typed.
extension ConsolePages {
    func addMessagePages(_ console: ConsoleDomain) {
        let shell = console.shell
        let messaging = console.domains.messaging

        get("/console/messages") { request, _, viewer in
            let scope = viewer.principal.scope
            let page = try PageRequest(request, defaultLimit: 50)
            let rows = try await messaging.messages.list(scope, try MessageFilter(request), page: page)
            let listed = page.page(rows, key: { Cursor($0.created_at, $0.id).key }, item: { $0 })
            let hours = try await messaging.stats.hourly(scope, hours: 24)
            return try await shell.page(viewer, title: "Messages", section: .messages,
                                        MessageViews.list(viewer, request: request, page: listed,
                                                          chart: MessageViews.chart(hours, nowMs: messaging.clock.milliseconds)))
        }

        /// The compose page, fresh (`?to=contact:<id>` from a contact's page) or holding a refused form.
        @Sendable func compose(_ viewer: ConsoleViewer, _ field: (String) -> String?, error: String? = nil, status: Int = 200) async throws -> Response {
            let scope = viewer.principal.scope
            let to = field("to") ?? ""
            let contact = to.hasPrefix("contact:") ? try await console.domains.contacts.contacts.get(scope, id: String(to.dropFirst("contact:".count))) : nil
            let draft = CampaignDraft { field($0) }
            return try await shell.page(viewer, title: "New message", section: .messages, MessageViews.compose(
                viewer, to: to, contact: contact, groups: try await console.groups.list(scope, page: PageRequest(limit: 100, after: nil)),
                templates: try await console.domains.campaigns.templates.list(scope, category: nil, channel: "sms", page: PageRequest(limit: 100, after: nil)),
                templateID: draft.templateID, body: draft.body, sendAt: draft.sendAt, timeZone: draft.timeZone,
                preview: try await console.preview(scope, draft), error: error), status: status)
        }

        get("/console/messages/new") { request, _, viewer in try await compose(viewer, { request.queryParameter($0) }) }

        post("/console/messages/new") { _, _, viewer, form in
            var fields: [String: JSONValue] = [:]
            let to = form["to"] ?? ""
            if to.hasPrefix("group:") { fields["group_id"] = .string(String(to.dropFirst(6))) }
            else if to.hasPrefix("contact:") { fields["contact_id"] = .string(String(to.dropFirst(8))) }
            if let template = form["template_id"] { fields["template_id"] = .string(template) } else { fields["body"] = .string(form.fields["body"] ?? "") }
            if let at = form["send_at"] { fields["scheduled_at"] = .string(at) }
            if let zone = form["time_zone"] { fields["time_zone"] = .string(zone) }
            do {
                guard fields["group_id"] != nil || fields["contact_id"] != nil else { throw APIError.invalidField("to", "choose a group or a contact") }
                let scheduled = try await messaging.scheduler.schedule(viewer.principal, JSONBody(fields: fields))
                messaging.events.flushSoon()
                return ConsoleShell.redirect("/console/messages?scheduled=\(scheduled.scheduled)&skipped=\(scheduled.skipped.count)")
            } catch let refusal as APIError where refusal.status < 500 {
                return try await compose(viewer, { form[$0] }, error: refusal.message, status: refusal.status)
            }
        }

        post("/console/messages/:id/retry") { request, context, viewer, form in
            let message = try await messaging.retry(viewer.principal.scope, id: context.parameter("id"))
            let back = form["status"].map { "?status=" + FormEncoding.escape($0) + "&" } ?? "?"
            return ConsoleShell.redirect("/console/messages" + back + "retried=" + FormEncoding.escape(message.id))
        }
    }
}

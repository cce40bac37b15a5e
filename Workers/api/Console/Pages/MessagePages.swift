import OzziRuntime

/// Messages: the last day's sends hour by hour, every message newest first with a status filter, and a
/// retry for those that failed.
extension ConsolePages {
    func addMessagePages(_ console: ConsoleDomain) {
        let shell = console.shell
        let messaging = console.messaging

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

        post("/console/messages/:id/retry") { request, context, viewer, form in
            let message = try await messaging.retry(viewer.principal.scope, id: context.parameter("id"))
            let back = form["status"].map { "?status=" + FormEncoding.escape($0) + "&" } ?? "?"
            return ConsoleShell.redirect("/console/messages" + back + "retried=" + FormEncoding.escape(message.id))
        }
    }
}

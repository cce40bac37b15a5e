import FoundationEssentials
import OzziRuntime

/// The markup of the messages page.
enum MessageViews {
    /// Statuses a message may be retried from (`MessageStore.retry`).
    static let retryable: Set<MessageStatus> = [.failed, .undelivered, .review]

    static func list(_ viewer: ConsoleViewer, request: Request, page: Page<Message>, chart: HTML) -> HTML {
        let status = request.queryParameter("status") ?? ""
        let options = MessageStatus.allCases.map { item -> HTML in
            "<option value=\"\(item.rawValue)\"\(HTML.when(item.rawValue == status, " selected"))>\(item.rawValue)</option>"
        }
        let rows = page.data.map { message -> HTML in
            let retry: HTML = retryable.contains(message.status) ? """
                <form method="post" action="/console/messages/\(message.id)/retry">\(Layout.csrfField(viewer))\
                <input type="hidden" name="status" value="\(status)">\
                <button type="submit" aria-label="Send \(message.to) the message again">Retry</button></form>
                """ : .empty
            return """
                <tr><td data-label="To">\(message.contact_id.map { "<a href=\"/console/contacts/\($0)\">\(message.to)</a>" as HTML } ?? "\(message.to)")</td>
                <td data-label="Message">\(String((message.sent_text ?? message.body ?? "").prefix(120)))</td>
                <td data-label="Status"><span class="tag">\(message.status.rawValue)</span>\(message.error.map { "<br><span class=\"hint\">\($0.message)</span>" as HTML } ?? .empty)</td>
                <td data-label="When"><time datetime="\(message.sent_at ?? message.scheduled_at)">\(message.sent_at ?? message.scheduled_at)</time></td>
                <td>\(retry)</td></tr>
                """
        }
        let next = NextPageLink.html("/console/messages", request: request, cursor: page.next_cursor, label: "Older messages", drop: ["retried", "scheduled", "skipped"])
        var notice: HTML = request.queryParameter("retried").map { "<p class=\"notice\" role=\"status\">Message \($0) is being sent again.</p>" } ?? .empty
        if let count = request.queryParameter("scheduled").flatMap(Int.init) {
            let skipped = request.queryParameter("skipped").flatMap(Int.init) ?? 0
            notice = "<p class=\"notice\" role=\"status\">\(count) \(count == 1 ? "message" : "messages") scheduled\(skipped > 0 ? "; \(skipped) skipped (no phone, or opted out)" : "").</p>"
        }
        return """
            <h1>Messages</h1>
            <p><a class="button" href="/console/messages/new">New message</a></p>
            \(notice)
            <section class="panel" aria-labelledby="sent-today"><h2 id="sent-today">Sent in the last 24 hours</h2>\(chart)</section>
            <form class="panel filters" method="get" action="/console/messages">
            <div><label for="message-status">Status</label>
            <select id="message-status" name="status"><option value="">Every status</option>\(options)</select></div>
            <div></div><div><button type="submit">Show</button></div>
            </form>
            \(page.data.isEmpty ? "<p class=\"panel\">No messages\(status.isEmpty ? "" : " with status \(status)").</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Messages, newest first</caption>
                <thead><tr><th scope="col">To</th><th scope="col">Message</th><th scope="col">Status</th><th scope="col">When</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>\(rows)</tbody></table>\(next)
                """)
            """
    }

    /// A new SMS: to a group or one contact, from a template or typed, now or at a time in a zone, with the
    /// preview that follows the typing.
    static func compose(_ viewer: ConsoleViewer, to: String, contact: Contact?, groups: [Group], templates: [Template], templateID: String, body: String,
                        sendAt: String, timeZone: String, preview: HTML, error: String?) -> HTML {
        var recipients: [(String, String)] = contact.map { [("contact:" + $0.id, "\($0.name.isEmpty ? $0.phone ?? $0.id : $0.name) (\($0.phone ?? "no phone"))")] } ?? []
        recipients += groups.map { ("group:" + $0.id, "Group: \($0.name) (\($0.member_count))") }
        let options = recipients.map { value, label -> HTML in "<option value=\"\(value)\"\(HTML.when(value == to, " selected"))>\(label)</option>" }
        return """
            <p><a href="/console/messages">All messages</a></p>
            <h1>New message</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            <form method="post" action="/console/messages/new" data-preview="\(ComposeViews.previewPath)" data-preview-target="compose-preview">\(Layout.csrfField(viewer))
            <input type="hidden" name="channel" value="sms">
            <div class="grid2">
            <div class="panel">
            <label for="message-to">To</label>
            \(recipients.isEmpty ? "<p class=\"hint\" id=\"message-to\">Make a group, or open a contact and send from there.</p>" as HTML
                                  : "<select id=\"message-to\" name=\"to\" required>\(options)</select>")
            \(ComposeViews.smsFields(prefix: "message", templates: templates, templateID: templateID, body: body))
            \(ComposeViews.variablesHint)
            \(ComposeViews.scheduleFields(prefix: "message", sendAt: sendAt, timeZone: timeZone))
            <p class="hint">Leave the time empty to send it now.</p>
            <div class="actions"><button type="submit">Send</button></div>
            </div>
            \(ComposeViews.previewPanel(preview))
            </div>
            </form>
            """
    }

    /// The last 24 hours, hour by hour (UTC), by where each message sent in that hour stands now.
    static func chart(_ hours: [MessageStats.Hour], nowMs: Int64) -> HTML {
        let last = nowMs / 3_600_000
        let first = last - 23
        let series = [StackedBars.Series(name: "delivered", colour: "#15803d"), StackedBars.Series(name: "sent, no report yet", colour: "#2563eb"),
                      StackedBars.Series(name: "failed or undelivered", colour: "#b91c1c")]
        var values = Array(repeating: [0, 0, 0], count: 24)
        for hour in hours where hour.hour >= first && hour.hour <= last {
            let part = switch hour.status {
            case "delivered": 0
            case "failed", "undelivered": 2
            default: 1
            }
            values[Int(hour.hour - first)][part] += hour.n
        }
        let slots = (first...last).map { hour -> String in
            let h = Int(hour % 24)
            return (h < 10 ? "0" : "") + String(h) + ":00"
        }
        return StackedBars(title: "Messages sent each hour of the last 24 (UTC), by outcome", slots: slots, series: series, values: values).html
    }
}

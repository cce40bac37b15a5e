import OzziRuntime

/// The markup of the contact pages.
enum ContactViews {
    /// The add-a-contact form's values, and what was wrong with them.
    struct Adding: Sendable {
        var name = ""
        var phone = ""
        var email = ""
        var error: String?

        static let blank = Adding()

        init() {}

        init(_ form: ConsoleForm) {
            name = form["name"] ?? ""
            phone = form["phone"] ?? ""
            email = form["email"] ?? ""
        }

        /// What `ContactInput` reads, blanks left out.
        var json: [String: JSONValue] {
            var fields: [String: JSONValue] = [:]
            if !name.isEmpty { fields["name"] = .string(name) }
            if !phone.isEmpty { fields["phone"] = .string(phone) }
            if !email.isEmpty { fields["email"] = .string(email) }
            return fields
        }

        func failed(_ error: APIError) -> Adding {
            var copy = self
            copy.error = error.message
            return copy
        }
    }

    static func list(_ viewer: ConsoleViewer, request: Request, groups: [Group], results: HTML, adding: Adding) -> HTML {
        let q = request.queryParameter("q") ?? ""
        let group = request.queryParameter("group_id") ?? ""
        let options = groups.map { item -> HTML in
            "<option value=\"\(item.id)\"\(HTML.when(item.id == group, " selected"))>\(item.name) (\(item.member_count))</option>"
        }
        return """
            <h1>Contacts</h1>
            <p><a href="/console/contacts/import">Import a CSV file</a></p>
            <form class="panel filters" method="get" action="/console/contacts" role="search" data-live-search="contact-results">
            <div><label for="contact-q">Search</label>
            <input id="contact-q" name="q" type="search" value="\(q)" autocomplete="off" placeholder="Name, email, phone or notes"></div>
            <div><label for="contact-group">Group</label>
            <select id="contact-group" name="group_id"><option value="">All contacts</option>\(options)</select></div>
            <div><button type="submit">Search</button></div>
            </form>
            <div id="contact-results" aria-live="polite">\(results)</div>
            <section class="panel" aria-labelledby="add-contact"><h2 id="add-contact">Add a contact</h2>
            \(adding.error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            <form method="post" action="/console/contacts">\(Layout.csrfField(viewer))
            <div class="grid2">
            <div><label for="new-name">Name</label><input id="new-name" name="name" type="text" autocomplete="off" value="\(adding.name)"></div>
            <div><label for="new-phone">Phone</label><input id="new-phone" name="phone" type="tel" autocomplete="off" value="\(adding.phone)"></div>
            <div><label for="new-email">Email</label><input id="new-email" name="email" type="email" autocomplete="off" value="\(adding.email)"></div>
            </div>
            <p class="hint">A phone, an email address or both.</p>
            <div class="actions"><button type="submit">Add the contact</button></div>
            </form></section>
            """
    }

    /// The part a search replaces: how many are shown, the rows, the link to the next page.
    static func results(_ page: Page<Contact>, request: Request) -> HTML {
        guard !page.data.isEmpty else {
            return "<p class=\"panel\">\(request.queryParameter("q").map { "No contact matches “\($0)”." } ?? "No contacts yet: add one below.")</p>"
        }
        let rows = page.data.map { contact -> HTML in
            """
            <tr><td data-label="Name"><a href="/console/contacts/\(contact.id)">\(contact.name.isEmpty ? "(no name)" : contact.name)</a></td>
            <td data-label="Phone">\(contact.phone ?? "")</td><td data-label="Email">\(contact.email ?? "")</td>
            <td data-label="SMS consent">\(consent(contact.sms_consent.status))</td></tr>
            """
        }
        let next = NextPageLink.html("/console/contacts", request: request, cursor: page.next_cursor, label: "Next page", drop: ["part"])
        return """
            <p class="count">\(page.data.count) shown\(page.next_cursor == nil ? "" : ", more on the next page")</p>
            <table class="rows"><caption class="visually-hidden">Contacts</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Phone</th><th scope="col">Email</th><th scope="col">SMS consent</th></tr></thead>
            <tbody>\(rows)</tbody></table>\(next)
            """
    }

    static func detail(_ contact: Contact, history: [ContactHistoryItem], more: Bool) -> HTML {
        let items = history.map { item -> HTML in
            """
            <li><span class="tag">\(item.channel)</span> <span class="tag">\(item.direction == "inbound" ? "received" : "sent")</span>
            <time datetime="\(item.at)">\(item.at)</time>\(item.status.map { " · \($0)" } ?? "")<br>\(item.text)</li>
            """
        }
        return """
            <p><a href="/console/contacts">All contacts</a></p>
            <h1>\(contact.name.isEmpty ? "(no name)" : contact.name)</h1>
            \(HTML.when(contact.phone != nil, "<p><a class=\"button\" href=\"/console/messages/new?to=contact:\(contact.id)\">Send a message</a></p>"))
            <div class="panel"><dl class="facts">
            <dt>Phone</dt><dd>\(contact.phone ?? "none")</dd>
            <dt>Email</dt><dd>\(contact.email ?? "none")</dd>
            <dt>SMS consent</dt><dd>\(consent(contact.sms_consent.status))</dd>
            <dt>Email consent</dt><dd>\(consent(contact.email_consent.status))</dd>
            <dt>Source</dt><dd>\(contact.source)</dd>
            <dt>Added</dt><dd><time datetime="\(contact.created_at)">\(contact.created_at)</time></dd>
            \(HTML.when(!contact.notes.isEmpty, "<dt>Notes</dt><dd>\(contact.notes)</dd>"))
            </dl></div>
            <section class="panel" aria-labelledby="history"><h2 id="history">History on every channel</h2>
            \(history.isEmpty ? "<p>Nothing sent or received yet.</p>" as HTML : "<ul class=\"history\">\(items)</ul>")
            \(HTML.when(more, "<p class=\"hint\">The newest 50 are shown.</p>"))
            </section>
            """
    }

    private static func consent(_ status: String) -> String {
        switch status {
        case "opted_in": "opted in"
        case "opted_out": "opted out"
        default: "not asked"
        }
    }
}

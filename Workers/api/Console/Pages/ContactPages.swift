import OzziRuntime

/// Contacts: search as you type with a group filter, add a contact, one contact with everything said with
/// them on every channel, and CSV imports with a live progress bar and the per-row report.
extension ConsolePages {
    func addContactPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let contacts = console.domains.contacts

        /// The list with its search and the add-a-contact form (holding what was refused, when it was).
        @Sendable func list(_ request: Request, _ viewer: ConsoleViewer, adding: ContactViews.Adding, status: Int = 200) async throws -> Response {
            let scope = viewer.principal.scope
            let results = ContactViews.results(try await contacts.contacts.page(scope, request), request: request)
            if request.queryParameter("part") == "results" { return .html(results.text) }
            let groups = try await console.groups.list(scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Contacts", section: .contacts,
                                        ContactViews.list(viewer, request: request, groups: groups, results: results, adding: adding), status: status)
        }

        get("/console/contacts") { request, _, viewer in try await list(request, viewer, adding: .blank) }

        post("/console/contacts") { request, _, viewer, form in
            let fields = ContactViews.Adding(form)
            do {
                let input = try ContactInput(JSONBody(fields: fields.json), defaultCountry: contacts.defaultCountry, creating: true)
                let contact = try await contacts.contacts.create(viewer.principal.scope, input)
                contacts.events.flushSoon()
                return ConsoleShell.redirect("/console/contacts/" + contact.id)
            } catch let error as APIError {
                return try await list(request, viewer, adding: fields.failed(error), status: error.status)
            }
        }

        get("/console/contacts/import") { _, _, viewer in
            try await shell.page(viewer, title: "Import contacts", section: .contacts, ContactImportViews.form())
        }

        get("/console/contacts/imports/:id") { request, context, viewer in
            guard let report = try await contacts.importer.report(viewer.principal.scope, id: context.parameter("id")) else { throw APIError.notFound("import") }
            if request.queryParameter("part") == "report" { return .html(ContactImportViews.report(report).text) }
            return try await shell.page(viewer, title: "Contact import", section: .contacts, ContactImportViews.page(report))
        }

        get("/console/contacts/:id") { _, context, viewer in
            let scope = viewer.principal.scope
            guard let contact = try await contacts.contacts.get(scope, id: context.parameter("id")) else { throw APIError.notFound("contact") }
            let history = try await ContactHistoryItem.page(contacts.contacts.database, scope, contactID: contact.id, page: PageRequest(limit: 50, after: nil))
            return try await shell.page(viewer, title: contact.name.isEmpty ? "Contact" : contact.name, section: .contacts,
                                        ContactViews.detail(contact, history: Array(history.prefix(50)), more: history.count > 50))
        }
    }
}

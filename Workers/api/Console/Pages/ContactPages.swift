import OzziRuntime

/// Contacts: search as you type with a group filter, add a contact, and one contact with everything said
/// with them on every channel.
extension ConsolePages {
    func addContactPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let contacts = console.contacts

        get("/console/contacts") { request, _, viewer in
            let found = try await contacts.contacts.page(viewer.principal.scope, request)
            let results = ContactViews.results(found, request: request)
            if request.queryParameter("part") == "results" { return .html(results.text) }
            let groups = try await console.groups.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Contacts", section: .contacts,
                                        ContactViews.list(viewer, request: request, groups: groups, results: results, adding: .blank))
        }

        post("/console/contacts") { request, _, viewer, form in
            let fields = ContactViews.Adding(form)
            do {
                let input = try ContactInput(JSONBody(fields: fields.json), defaultCountry: contacts.defaultCountry, creating: true)
                let contact = try await contacts.contacts.create(viewer.principal.scope, input)
                contacts.events.flushSoon()
                return ConsoleShell.redirect("/console/contacts/" + contact.id)
            } catch let error as APIError {
                let groups = try await console.groups.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
                let found = try await contacts.contacts.page(viewer.principal.scope, request)
                return try await shell.page(viewer, title: "Contacts", section: .contacts,
                                            ContactViews.list(viewer, request: request, groups: groups, results: ContactViews.results(found, request: request),
                                                              adding: fields.failed(error)), status: error.status)
            }
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

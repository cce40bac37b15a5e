import OzziRuntime

/// `/api/v1/contacts`: create, read, partial update, delete, search and list.
extension RouteGroup {
    func addContactRoutes(_ s: ContactsDomain) {
        authed("GET", "",
               "List or search contacts: q (full text, BM25), prefix (typeahead), group_id, consent, source, custom.<key>, created_after/before, updated_after/before, sort",
               tag: "contacts", query: PageRequest.parameters + ContactQuery.parameters,
               answers: .json(Page<Contact>.schema(of: .model(Contact.self)))) { request, _, principal in
            .json(try await s.contacts.page(principal.scope, request))
        }

        authed("POST", "", "Create a contact: a phone, an email address or both (each unique per workspace)", tag: "contacts",
               body: .json(ContactInput.schema(creating: true)), answers: .json(.model(Contact.self)), success: 201, creates: true) { request, _, principal in
            let input = try ContactInput(try JSONBody(request), defaultCountry: s.defaultCountry, creating: true)
            let contact = try await s.contacts.create(principal.scope, input)
            return .json(contact, status: 201)
        }

        one("One contact", tag: "contacts", noun: "contact", answers: .model(Contact.self)) { try await s.contacts.get($0, id: $1) }

        list("/:id/history", "Everything said with the contact on every channel (SMS, email, chat), newest first", tag: "contacts",
             of: .model(ContactHistoryItem.self), key: { Cursor($0.at, $0.id).key }) { _, context, principal, page in
            guard try await s.contacts.get(principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("contact") }
            return try await ContactHistoryItem.page(s.contacts.database, principal.scope, contactID: context.parameter("id"), page: page)
        }

        authed("PATCH", "/:id", "Change some of a contact's fields", tag: "contacts",
               body: .json(ContactInput.schema(creating: false)), answers: .json(.model(Contact.self))) { request, context, principal in
            let input = try ContactInput(try JSONBody(request), defaultCountry: s.defaultCountry, creating: false)
            guard let contact = try await s.contacts.update(principal.scope, id: context.parameter("id"), input) else {
                throw APIError.notFound("contact")
            }
            return .json(contact)
        }

        remove("Delete a contact", tag: "contacts", noun: "contact") { principal, id in
            try await s.contacts.delete(principal.scope, id: id)
        }
    }
}

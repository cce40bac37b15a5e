import OzziRuntime

/// `/api/v1/contacts`: create, read, partial update, delete, search and list.
extension RouteGroup {
    func addContactRoutes(_ s: ContactsDomain) {
        authed("GET", "",
               "List or search contacts: q (full text, BM25), prefix (typeahead), group_id, consent, source, custom.<key>, created_after/before, updated_after/before, sort",
               tag: "contacts") { request, _, principal in
            let page = try PageRequest(request)
            let query = try ContactQuery(request)
            let result = try await s.contacts.list(principal.scope, query, limit: page.limit, after: page.after)
            return .json(Page(data: result.rows, next: result.next.map(Cursor.init(key:))))
        }

        authed("POST", "", "Create a contact (phone unique per workspace)", tag: "contacts",
               body: Self.contactFields(phoneRequired: true), success: 201, creates: true) { request, _, principal in
            let input = try ContactInput(try JSONBody(request), defaultCountry: s.defaultCountry, requirePhone: true)
            let contact = try await s.contacts.create(principal.scope, input)
            s.events.flushSoon()
            return .json(contact, status: 201)
        }

        authed("GET", "/:id", "One contact", tag: "contacts") { _, context, principal in
            guard let contact = try await s.contacts.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("contact") }
            return .json(contact)
        }

        authed("PATCH", "/:id", "Change some of a contact's fields", tag: "contacts",
               body: Self.contactFields(phoneRequired: false)) { request, context, principal in
            let input = try ContactInput(try JSONBody(request), defaultCountry: s.defaultCountry, requirePhone: false)
            guard let contact = try await s.contacts.update(principal.scope, id: context.parameter("id"), input) else {
                throw APIError.notFound("contact")
            }
            s.events.flushSoon()
            return .json(contact)
        }

        authed("DELETE", "/:id", "Delete a contact", tag: "contacts", success: 204) { _, context, principal in
            guard try await s.contacts.delete(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("contact") }
            s.events.flushSoon()
            return Response(status: 204)
        }
    }

    static func contactFields(phoneRequired: Bool) -> [APIOperation.Field] {
        [phoneRequired ? .required("phone") : .optional("phone"), .optional("name"), .optional("first_name"), .optional("last_name"),
         .optional("email"), .optional("notes"), .optional("custom_fields", "object"), .optional("source"), .optional("sms_consent", "object")]
    }
}

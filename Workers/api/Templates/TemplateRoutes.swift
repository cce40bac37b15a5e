import OzziRuntime

/// `/api/v1/templates` and previews.
extension RouteGroup {
    func addTemplateRoutes(_ s: TemplatesDomain) {
        list("", "List templates (?category=)", tag: "templates", of: .any, key: \.name, item: TemplateView.init) { request, _, principal, page in
            try await s.templates.list(principal.scope, category: request.queryParameter("category"), page: page)
        }

        authed("POST", "", "Create a template; unknown {{variables}} are refused", tag: "templates",
               body: .json(.object([.required("name", .string()), .required("body", .string()), .optional("category", .string())])), success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            let text = try body.requiredString("body", max: 5000)
            try Self.validate(text)
            let template = try await s.templates.create(principal.scope, name: try body.requiredString("name", max: 100),
                                                        category: try body.string("category", max: 50) ?? "general", body: text)
            return .json(TemplateView(template), status: 201)
        }

        one("One template with its SMS length", tag: "templates", noun: "template", answers: .any, item: TemplateView.init) { try await s.templates.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a template (messages already sent keep their text)", tag: "templates",
               body: .json(.object([.optional("name", .string()), .optional("body", .string()), .optional("category", .string())]))) { request, context, principal in
            let body = try JSONBody(request)
            let text = try body.string("body", max: 5000)
            if let text { try Self.validate(text) }
            guard let template = try await s.templates.update(principal.scope, id: context.parameter("id"), name: try body.string("name", max: 100),
                                                              category: try body.string("category", max: 50), body: text) else {
                throw APIError.notFound("template")
            }
            return .json(TemplateView(template))
        }

        remove("Delete a template", tag: "templates", noun: "template") { try await s.templates.delete($0.scope, id: $1) }

        authed("POST", "/:id/preview", "Render a template for a contact, with SMS length facts", tag: "templates",
               body: .json(.object([.required("contact_id", .string())]))) { request, context, principal in
            guard let template = try await s.templates.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("template") }
            let contactID = try JSONBody(request).requiredString("contact_id", max: 64)
            guard let contact = try await s.contacts.get(principal.scope, id: contactID) else { throw APIError.notFound("contact") }
            let text = try TemplateText(template.body).render(contact)
            return .json(Preview(text: text, sms: SMSLength(text)))
        }
    }

    static func validate(_ body: String) throws {
        do {
            _ = try TemplateText(body)
        } catch {
            throw APIError.invalidField("body", error.message)
        }
    }

    struct Preview: Encodable {
        let text: String
        let sms: SMSLength
    }

    /// A template as the API answers it: its fields plus the SMS length of its raw body.
    struct TemplateView: Encodable {
        let template: Template
        init(_ template: Template) { self.template = template }

        func encode(to encoder: Encoder) throws {
            try template.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(SMSLength(template.body), forKey: .sms)
        }

        enum CodingKeys: String, CodingKey { case sms }
    }
}

import OzziRuntime

/// `/api/v1/templates` and previews.
extension RouteGroup {
    func addTemplateRoutes(_ s: TemplatesDomain) {
        list("", "List templates, by name", tag: "templates", of: .model(TemplateView.self),
             filters: [.query("category", .string(max: 50), "Only templates of this category"),
                       .query("channel", .oneOf(Template.channels), "Only templates of this channel")],
             key: \.name, item: TemplateView.init) { request, _, principal, page in
            try await s.templates.list(principal.scope, category: request.queryParameter("category"), channel: request.queryParameter("channel"), page: page)
        }

        authed("POST", "", "Create an SMS or email template; unknown {{variables}} are refused", tag: "templates",
               body: .json(TemplateView.input(creating: true)), answers: .json(.model(TemplateView.self)), success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            let channel = try body.choice("channel", Template.channels) ?? "sms"
            let template = try await s.templates.create(principal.scope, name: try body.requiredString("name", max: 100),
                                                        category: try body.string("category", max: 50) ?? "general",
                                                        content: try Self.content(body, channel: channel, current: nil))
            return .json(TemplateView(template), status: 201)
        }

        one("One template with its SMS length", tag: "templates", noun: "template", answers: .model(TemplateView.self), item: TemplateView.init) { try await s.templates.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a template (messages already sent keep their text); its channel stays", tag: "templates",
               body: .json(TemplateView.input(creating: false)), answers: .json(.model(TemplateView.self))) { request, context, principal in
            guard let current = try await s.templates.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("template") }
            let body = try JSONBody(request)
            let changes = ["body", "subject", "html", "text"].contains { body.fields[$0] != nil }
            guard let template = try await s.templates.update(principal.scope, id: current.id, name: try body.string("name", max: 100),
                                                              category: try body.string("category", max: 50),
                                                              content: changes ? try Self.content(body, channel: current.channel, current: current) : nil) else {
                throw APIError.notFound("template")
            }
            return .json(TemplateView(template))
        }

        remove("Delete a template", tag: "templates", noun: "template") { try await s.templates.delete($0.scope, id: $1) }

        authed("POST", "/:id/preview", "Render a template for a contact and/or variables: SMS text with its length facts, or an email's subject, HTML and text",
               tag: "templates", body: .json(Preview.input), answers: .json(.model(Preview.self))) { request, context, principal in
            guard let template = try await s.templates.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("template") }
            let body = try JSONBody(optional: request)
            let variables = try TemplateVariables.read(body)
            var contact: Contact?
            if let contactID = try body.string("contact_id", max: 64) {
                guard let found = try await s.contacts.get(principal.scope, id: contactID) else { throw APIError.notFound("contact") }
                contact = found
            }
            guard template.channel == "email" else {
                var missing: [String] = []
                let text = try Self.smsText(template.body).render(contact, variables: variables, escapingHTML: false, missing: &missing)
                return .json(Preview(channel: "sms", text: text, sms: SMSLength(text), subject: nil, html: nil, missingVariables: missing))
            }
            // A preview shows what renders and names what a send would still need, rather than refusing.
            let (email, missing) = try EmailRenderer(subject: template.subject ?? "", html: template.html, text: template.text)
                .preview(contact: contact, variables: variables)
            return .json(Preview(channel: "email", text: email.text, sms: nil, subject: email.subject, html: .some(email.html), missingVariables: missing))
        }
    }

    /// The content a create or update body gives for a template of `channel`, merged with the `current`
    /// template's on update. A new template's form is the schema's to check; a change that does not fit
    /// the stored template's channel or leaves it empty conflicts with what is stored (409).
    static func content(_ body: JSONBody, channel: String, current: Template?) throws -> TemplateStore.Content {
        func refuse(_ field: String, _ message: String) -> APIError {
            current == nil ? APIError.invalidField(field, message) : APIError.conflict("\(field): \(message)", details: .object(["field": .string(field)]))
        }
        if channel == "sms" {
            if let field = ["subject", "html", "text"].first(where: { body.fields[$0] != nil && body.fields[$0] != .null }) {
                throw refuse(field, "only email templates have one; this is an SMS template")
            }
            let text = current == nil ? try body.requiredString("body", max: 5000) : try body.string("body", max: 5000) ?? current!.body
            _ = try smsText(text)
            return .sms(body: text)
        }
        if body.fields["body"] != nil, body.fields["body"] != .null {
            throw refuse("body", "an email template has subject, html and text instead")
        }
        /// A part given (null or empty clears it), else the current one.
        func part(_ name: String, max: Int, _ existing: String?) throws -> String? {
            guard body.fields[name] != nil else { return existing }
            return try body.string(name, max: max).flatMap { $0.isEmpty ? nil : $0 }
        }
        let subject = try body.string("subject", max: TemplateView.subjectMax) ?? current?.subject
        guard let subject, !subject.isEmpty else { throw APIError.invalidField("subject", "is required for an email template") }
        let html = try part("html", max: TemplateView.htmlMax, current?.html)
        let text = try part("text", max: TemplateView.textMax, current?.text)
        guard html != nil || text != nil else { throw refuse(body.fields["html"] != nil ? "html" : "text", "an email template needs html or text") }
        _ = try EmailRenderer(subject: subject, html: html, text: text)
        return .email(subject: subject, html: html, text: text)
    }

    static func smsText(_ body: String) throws -> TemplateText {
        do {
            return try TemplateText(body)
        } catch {
            throw APIError.invalidField("body", error.message)
        }
    }

    struct Preview: Encodable {
        let channel: String
        let text: String
        let sms: SMSLength?
        let subject: String?
        /// Present (maybe null) for email, absent for SMS.
        let html: String??
        /// The send's variables the text uses with neither a value nor a fallback: a send would be refused.
        let missingVariables: [String]

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(channel, forKey: .channel)
            try container.encode(text, forKey: .text)
            try container.encodeIfPresent(sms, forKey: .sms)
            try container.encodeIfPresent(subject, forKey: .subject)
            if let html { try container.encode(html, forKey: .html) }
            try container.encode(missingVariables, forKey: .missing_variables)
        }

        enum CodingKeys: String, CodingKey { case channel, text, sms, subject, html, missing_variables }
    }

    /// A template as the API answers it: SMS templates with the SMS length of their raw body.
    struct TemplateView: Encodable {
        let template: Template
        init(_ template: Template) { self.template = template }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            let sms = template.channel == "sms"
            try container.encode(template.id, forKey: .id)
            try container.encode(template.name, forKey: .name)
            try container.encode(template.category, forKey: .category)
            try container.encode(template.channel, forKey: .channel)
            try container.encode(sms ? template.body : nil, forKey: .body)
            try container.encode(template.subject, forKey: .subject)
            try container.encode(template.html, forKey: .html)
            try container.encode(template.text, forKey: .text)
            try container.encode(template.usage_count, forKey: .usage_count)
            try container.encode(template.created_at, forKey: .created_at)
            try container.encode(template.updated_at, forKey: .updated_at)
            try container.encode(sms ? SMSLength(template.body) : nil, forKey: .sms)
        }

        enum CodingKeys: String, CodingKey { case id, name, category, channel, body, subject, html, text, usage_count, created_at, updated_at, sms }
    }
}

import OzziRuntime

/// Forms: the workspace's forms and a new one; the builder, where each change (a field added, edited,
/// moved or removed; the settings) is a new version through the same checks as the API, shown at once in
/// the form's own page framed beside it; and the submissions, arriving live.
extension ConsolePages {
    func addFormPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let forms = console.domains.forms

        @Sendable func list(_ viewer: ConsoleViewer, error: String? = nil, name: String = "", origin: String = "", status: Int = 200) async throws -> Response {
            let all = try await forms.forms.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Forms", section: .forms, FormViews.list(viewer, all, error: error, name: name, origin: origin), status: status)
        }

        get("/console/forms") { _, _, viewer in try await list(viewer) }

        post("/console/forms") { _, _, viewer, form in
            let name = form["name"] ?? "", origin = form["origin"] ?? ""
            do {
                // A new form starts with what every form asks: who is writing.
                let body = JSONBody(fields: [
                    "name": .string(name),
                    "fields": [["key": "email", "type": "email", "label": "Email", "required": true, "maps_to": "email"]],
                    "settings": ["allowed_origins": [.string(origin)]],
                ])
                let definition = try FormDefinition.read(body, over: nil, defaultCountry: forms.defaultCountry)
                guard !name.isEmpty else { throw APIError.invalidField("name", "is required") }
                let made = try await forms.forms.create(viewer.principal.scope, name: String(name.prefix(100)), definition: definition, createdBy: viewer.principal.userID)
                forms.events.flushSoon()
                return ConsoleShell.redirect("/console/forms/" + made.id)
            } catch let error as APIError {
                return try await list(viewer, error: error.message, name: name, origin: origin, status: error.status)
            }
        }

        @Sendable func builder(_ viewer: ConsoleViewer, _ form: Form, adding: FormFieldDraft = .blank, error: String? = nil, status: Int = 200) async throws -> Response {
            // The form-embed worker mounted on the console's own origin (the default) is framed by path, whatever
            // address the browser used; elsewhere, at its own origin.
            let local = forms.formsURL.hasPrefix(console.publicURL + "/")
            let embed = local ? String(forms.formsURL.dropFirst(console.publicURL.count)) : forms.formsURL
            let main = FormViews.builder(viewer, form, embedURL: embed, snippet: Form.snippet(formsURL: forms.formsURL, publicKey: form.publicKey),
                                         adding: adding, error: error)
            var response = try await shell.page(viewer, title: form.name, section: .forms, main, status: status)
            // The builder alone frames a page: the form's own, to show it as sites will.
            response.headers.add("content-security-policy", ConsoleShell.policy(framing: local ? "'self'" : FormViews.origin(of: forms.formsURL)))
            return response
        }

        @Sendable func owned(_ viewer: ConsoleViewer, _ id: String) async throws -> Form {
            guard let form = try await forms.forms.get(viewer.principal.scope, id: id) else { throw APIError.notFound("form") }
            return form
        }

        get("/console/forms/:id") { _, context, viewer in try await builder(viewer, try await owned(viewer, context.parameter("id"))) }

        /// A change of the fields: the whole list, edited, goes through the API's checks as one new version.
        post("/console/forms/:id/fields") { _, context, viewer, posted in
            let form = try await owned(viewer, context.parameter("id"))
            let draft = FormFieldDraft(posted)
            guard posted["version"] == String(form.version) else {
                return try await builder(viewer, form, adding: draft, error: "The form was changed meanwhile (now version \(form.version)): here it is as it is now; make the change again.", status: 409)
            }
            var fields = form.definition.fields.map(\.json)
            let index = posted["index"].flatMap(Int.init)
            guard index.map({ fields.indices.contains($0) }) ?? true else { throw APIError.invalidField("index", "is not a field of the form") }
            switch posted["op"] {
            case "add":
                fields.append(draft.json(existing: Set(form.definition.fields.map(\.key))))
            case "edit":
                guard let index else { throw APIError.invalidField("index", "is required") }
                fields[index] = draft.json(existing: Set(form.definition.fields.enumerated().filter { $0.offset != index }.map(\.element.key)))
            case "up":
                guard let index, index > 0 else { throw APIError.invalidField("index", "cannot move up") }
                fields.swapAt(index, index - 1)
            case "down":
                guard let index, index < fields.count - 1 else { throw APIError.invalidField("index", "cannot move down") }
                fields.swapAt(index, index + 1)
            case "remove":
                guard let index else { throw APIError.invalidField("index", "is required") }
                fields.remove(at: index)
            default:
                throw APIError.invalidField("op", "is add, edit, up, down or remove")
            }
            do {
                let definition = try FormDefinition.read(JSONBody(fields: ["fields": .array(fields)]), over: form.definition, defaultCountry: forms.defaultCountry)
                guard try await forms.forms.update(viewer.principal.scope, id: form.id, name: nil, enabled: nil, definition: definition,
                                                   changedBy: viewer.principal.userID) != nil else { throw APIError.notFound("form") }
            } catch let error as APIError where error.status == 422 {
                // Named as the API names it (fields[3].options), which the builder shows as the field's place.
                return try await builder(viewer, form, adding: posted["op"] == "add" ? draft : .blank, error: FormViews.explain(error, fields: fields), status: 422)
            }
            forms.events.flushSoon()
            return ConsoleShell.redirect("/console/forms/\(form.id)")
        }

        post("/console/forms/:id/settings") { _, context, viewer, posted in
            let form = try await owned(viewer, context.parameter("id"))
            guard posted["version"] == String(form.version) else {
                return try await builder(viewer, form, error: "The form was changed meanwhile (now version \(form.version)): here it is as it is now.", status: 409)
            }
            var settings: [String: JSONValue] = [:]
            if let label = posted["submit_label"] { settings["submit_label"] = .string(label) }
            if let message = posted["success_message"] { settings["success_message"] = .string(message) }
            let origins = (posted.fields["allowed_origins"] ?? "").split(whereSeparator: \.isNewline).map { String($0.trimmingASCIISpaces()) }.filter { !$0.isEmpty }
            settings["allowed_origins"] = .array(origins.map(JSONValue.string))
            do {
                let definition = try FormDefinition.read(JSONBody(fields: ["settings": .object(settings)]), over: form.definition, defaultCountry: forms.defaultCountry)
                guard try await forms.forms.update(viewer.principal.scope, id: form.id, name: nil, enabled: posted["enabled"] != nil, definition: definition,
                                                   changedBy: viewer.principal.userID) != nil else { throw APIError.notFound("form") }
            } catch let error as APIError where error.status == 422 {
                return try await builder(viewer, form, error: error.message, status: 422)
            }
            forms.events.flushSoon()
            return ConsoleShell.redirect("/console/forms/\(form.id)")
        }

        get("/console/forms/:id/submissions") { request, context, viewer in
            let form = try await owned(viewer, context.parameter("id"))
            let page = try PageRequest(request, defaultLimit: 50)
            let rows = try await forms.submissions.list(viewer.principal.scope, formID: form.id, contactID: nil, since: nil, until: nil, page: page)
            let part = FormViews.submissionRows(form, page.page(rows, key: { Cursor($0.created_at, $0.id).key }, item: { $0 }), request: request)
            if request.queryParameter("part") == FormViews.submissionsPart(form.id).name { return .html(part.text) }
            return try await shell.page(viewer, title: "Submissions to \(form.name)", section: .forms, FormViews.submissions(form, rows: part))
        }
    }
}

import OzziRuntime

/// `/api/v1/forms`: create, list, read, change (each change of fields, settings or workflow is a new
/// version), disable, delete; the versions; and the counts (views, starts, submissions, spam) by day.
extension RouteGroup {
    func addFormRoutes(_ s: FormsDomain) {
        authed("POST", "", "Create a form", tag: "forms", body: .json(Form.body(creating: true)), answers: .json(.model(Form.Answer.self)),
               success: 201, creates: true) { request, _, principal in
            let body = try JSONBody(request)
            let definition = try FormDefinition.read(body, over: nil, defaultCountry: s.defaultCountry)
            let form = try await s.forms.create(principal.scope, name: try body.requiredString("name", max: 100), definition: definition,
                                                createdBy: principal.userID)
            return .json(form.answer(formsURL: s.formsURL), status: 201)
        }

        list("", "The workspace's forms, oldest first", tag: "forms", of: .model(Form.Answer.self), key: \.id,
             item: { [formsURL = s.formsURL] in $0.answer(formsURL: formsURL) }) { _, _, principal, page in
            try await s.forms.list(principal.scope, page: page)
        }

        one("One form at its current version", tag: "forms", noun: "form", answers: .model(Form.Answer.self),
            item: { [formsURL = s.formsURL] in $0.answer(formsURL: formsURL) }) { try await s.forms.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a form: fields, settings or workflow make a new version; name and enabled change in place", tag: "forms",
               body: .json(Form.body(creating: false)), answers: .json(.model(Form.Answer.self))) { request, context, principal in
            let id = context.parameter("id")
            guard let current = try await s.forms.get(principal.scope, id: id) else { throw APIError.notFound("form") }
            let body = try JSONBody(request)
            let name = try body.string("name", max: 100)
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
            let redefined = ["fields", "settings", "workflow"].contains { body.fields[$0] != nil && body.fields[$0] != .null }
            let definition = redefined ? try FormDefinition.read(body, over: current.definition, defaultCountry: s.defaultCountry) : nil
            guard let form = try await s.forms.update(principal.scope, id: id, name: name, enabled: try body.bool("enabled"), definition: definition,
                                                      changedBy: principal.userID) else { throw APIError.notFound("form") }
            return .json(form.answer(formsURL: s.formsURL))
        }

        remove("Delete a form with its submissions; pages that embed it show nothing", tag: "forms", noun: "form") { principal, id in
            try await s.forms.delete(principal.scope, id: id)
        }

        authed("GET", "/:id/versions", "The form's versions, newest first", tag: "forms",
               answers: .json(Schema.object([.required("data", Schema.array(Schema.object([
                   .required("version", Schema.integer(min: 1)), .required("created_by", .string()), .required("created_at", .timestamp),
               ], closed: true)))], closed: true))) { _, context, principal in
            guard let versions = try await s.forms.versions(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("form") }
            return .json(["data": .array(versions)] as JSONValue)
        }

        authed("GET", "/:id/versions/:version", "What one version of the form stated (the one a submission answered)", tag: "forms",
               answers: .json(Schema.object([
                   .required("version", Schema.integer(min: 1)), .required("fields", Schema.array(Form.fieldSchema)),
                   .required("settings", Form.settingsSchema), .required("workflow", Schema.array(Form.actionSchema)),
               ], closed: true))) { _, context, principal in
            guard let form = try await s.forms.get(principal.scope, id: context.parameter("id")), let version = Int(context.parameter("version")),
                  version >= 1, let definition = try await s.forms.definition(formID: form.id, version: version) else { throw APIError.notFound("form version") }
            var answer = definition.json.objectValue ?? [:]
            answer["version"] = .number(Double(version))
            return .json(JSONValue.object(answer))
        }

        authed("GET", "/:id/stats", "Views, starts, submissions and spam dropped per day from `since` (default: the last 30 days), with totals and conversion",
               tag: "forms", query: [.query("since", CivilDate.schema, "The first day, YYYY-MM-DD (UTC)")],
               answers: .json(Schema.object([
                   .required("days", Schema.array(Schema.object([
                       .required("day", .string()), .required("views", Schema.integer(min: 0)), .required("starts", Schema.integer(min: 0)),
                       .required("submissions", Schema.integer(min: 0)), .required("spam", Schema.integer(min: 0)),
                   ], closed: true))),
                   .required("totals", Schema.object([
                       .required("views", Schema.integer(min: 0)), .required("starts", Schema.integer(min: 0)), .required("submissions", Schema.integer(min: 0)),
                       .required("spam", Schema.integer(min: 0)),
                       .required("conversion", Schema.number().nullable.described("submissions / views; null before the first view")),
                   ], closed: true)),
               ], closed: true))) { request, context, principal in
            guard let form = try await s.forms.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("form") }
            let since = request.queryParameter("since") ?? String(Timestamp.at(milliseconds: s.clock.milliseconds - 29 * 86_400_000).prefix(10))
            let days = try await s.submissions.stats(formID: form.id, since: since)
            func total(_ name: String) -> Double { days.reduce(0) { $0 + ($1[name]?.numberValue ?? 0) } }
            let views = total("views"), submitted = total("submissions")
            return .json(["days": .array(days), "totals": [
                "views": .number(views), "starts": .number(total("starts")), "submissions": .number(submitted), "spam": .number(total("spam")),
                "conversion": views > 0 ? .number((submitted / views * 10_000).rounded() / 10_000) : .null,
            ]] as JSONValue)
        }
    }
}

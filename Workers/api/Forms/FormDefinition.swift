import OzziRuntime

/// Everything a version of a form states: its fields in order, its settings, and its workflow. Stored as
/// one JSON document per version (`form_versions`), never changed once written.
struct FormDefinition: Sendable {
    var fields: [FormField]
    var settings: FormSettings
    var workflow: [FormAction]

    /// A definition from a body: `fields` and `settings.allowed_origins` are required to create a form; a
    /// change (`base`) replaces the fields or workflow it gives and merges the settings it gives.
    static func read(_ body: JSONBody, over base: FormDefinition?, defaultCountry: String) throws -> FormDefinition {
        var fields = base?.fields ?? []
        if let given = body.fields["fields"], given != .null || base == nil {
            guard case .array(let items) = given, (1...100).contains(items.count) else { throw APIError.invalidField("fields", "must list 1 to 100 fields") }
            fields = try items.enumerated().map { try FormField.read($1, at: "fields[\($0)]", defaultCountry: defaultCountry) }
            var keys = Set<String>(), mapped = Set<String>()
            for (index, field) in fields.enumerated() {
                guard keys.insert(field.key).inserted else { throw APIError.invalidField("fields[\(index)].key", "repeats '\(field.key)'") }
                if let target = field.mapsTo, !mapped.insert(target).inserted {
                    throw APIError.invalidField("fields[\(index)].maps_to", "another field already fills \(target)")
                }
            }
        } else if base == nil {
            throw APIError.invalidField("fields", "is required")
        }
        let settings = try (base?.settings ?? FormSettings()).changed(by: body.fields["settings"])
        guard !settings.allowedOrigins.isEmpty else {
            throw APIError.invalidField("settings.allowed_origins", "is required: the origins of the sites that embed the form")
        }
        var workflow = base?.workflow ?? []
        if let given = body.fields["workflow"], given != .null {
            guard case .array(let items) = given, items.count <= 20 else { throw APIError.invalidField("workflow", "must list at most 20 actions") }
            workflow = try items.enumerated().map { try FormAction.read($1, at: "workflow[\($0)]", fields: fields) }
        } else if body.fields["fields"] != nil {
            // New fields: the kept workflow's conditions must still name fields of the form.
            for (index, action) in workflow.enumerated() {
                if let field = action.when?.field, !fields.contains(where: { $0.key == field }) {
                    throw APIError.invalidField("workflow[\(index)].when.field", "names '\(field)', which the new fields do not have")
                }
            }
        }
        return FormDefinition(fields: fields, settings: settings, workflow: workflow)
    }

    /// Reads back what `json` wrote (a stored version).
    init(stored: JSONValue, defaultCountry: String) throws {
        let body = JSONBody(fields: stored.objectValue ?? [:])
        self = try Self.read(body, over: nil, defaultCountry: defaultCountry)
    }

    init(fields: [FormField], settings: FormSettings, workflow: [FormAction]) {
        self.fields = fields
        self.settings = settings
        self.workflow = workflow
    }

    var json: JSONValue {
        ["fields": .array(fields.map(\.json)), "settings": settings.json, "workflow": .array(workflow.map(\.json))]
    }

    /// The answers checked field by field: the values to keep, or each refused field's message.
    func check(_ answers: [String: JSONValue], defaultCountry: String) -> Result<[String: JSONValue], FieldErrors> {
        var kept: [String: JSONValue] = [:], refused: [String: String] = [:]
        for field in fields {
            switch field.check(answers[field.key], defaultCountry: defaultCountry) {
            case .value(let value?): kept[field.key] = value
            case .value(nil): continue
            case .refused(let message): refused[field.key] = message
            }
        }
        return refused.isEmpty ? .success(kept) : .failure(FieldErrors(fields: refused))
    }

    /// The fields of a submission the visitor must correct, each with its message.
    struct FieldErrors: Error, Equatable {
        let fields: [String: String]

        var apiError: APIError {
            let first = fields.keys.sorted { a, b in a < b }.first ?? ""
            return APIError(status: 422, code: "invalid_fields", message: "\(first): \(fields[first] ?? "")",
                            details: ["field": .string(first), "fields": .object(fields.mapValues { .string($0) })])
        }
    }
}

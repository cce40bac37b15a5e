import OzziRuntime

/// A context for outbound calls: what the agent is told, as a template over `ContextVariables`, and when it
/// applies by itself (`rules`, among enabled contexts the highest `priority` first).
struct CallContext: Sendable, Decodable, SQLRecord, APIModel {
    let id: String
    let workspace_id: String
    let kind: String
    let system_key: String?
    let name: String
    let description: String
    let template: String
    let priority: Int
    let enabled: Bool
    let rules: JSONValue
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn {
        case id, workspace_id, kind, system_key, name, description, template, priority, enabled, rules, created_at, updated_at
    }
    typealias Columns = CodingKeys

    static let kinds = ["system", "custom"]

    var contextRules: ContextRules { ContextRules(json: rules) }

    var answer: JSONValue {
        ["id": .string(id), "kind": .string(kind), "system_key": system_key.map { .string($0) } ?? .null, "name": .string(name),
         "description": .string(description), "template": .string(template), "priority": .number(Double(priority)), "enabled": .bool(enabled),
         "rules": rules, "created_at": .string(created_at), "updated_at": .string(updated_at)]
    }

    static let schema = Schema.object([
        .required("id", Schema.string().example("cctx_01jd3k5v7n0000000000000000")),
        .required("kind", Schema.oneOf(kinds).described("system contexts are the platform's: they may be turned off or reordered, not rewritten")),
        .required("system_key", Schema.string().nullable.example("missed_call")),
        .required("name", Schema.string()), .required("description", Schema.string()),
        .required("template", Schema.string().described("What the agent is told, with {{variables}} (GET /api/v1/call-contexts/variables)")),
        .required("priority", Schema.integer(-1_000...1_000).described("Among contexts whose rules apply, the highest wins")),
        .required("enabled", Schema.boolean), .required("rules", ContextRules.schema),
        .required("created_at", .timestamp), .required("updated_at", .timestamp),
    ], closed: true)

    /// A create's or change's body; `creating` requires name and template.
    static func body(creating: Bool) -> Schema {
        func field(_ name: String, _ schema: Schema) -> Property { creating && ["name", "template"].contains(name) ? .required(name, schema) : .optional(name, schema) }
        return Schema.object([
            field("name", Schema.text(max: 100).example("Renewal reminder")),
            field("description", Schema.string(max: 500)),
            field("template", Schema.string(min: 1, max: 4_000, pattern: ContextVariables.pattern)
                .example("Remind {{first_name|the customer}} that {{custom.plan}} renews on Friday.")
                .described("Unknown {{variables}} are refused")),
            field("priority", Schema.integer(-1_000...1_000)),
            field("enabled", Schema.boolean),
            field("rules", ContextRules.schema),
        ], closed: true)
    }
}

import OzziRuntime

/// The `{{variables}}` a context may use: the contact's fields (as message templates have them, with
/// `custom.<field>`), the call being followed up, the number that calls and the workspace. The catalogue
/// is served for a picker; `values` fills them for one call.
enum ContextVariables {
    struct Variable: Sendable {
        let name: String
        let group: String
        let description: String
        let example: String

        var json: JSONValue {
            ["name": .string(name), "group": .string(group), "description": .string(description), "example": .string(example)]
        }
    }

    static let catalogue: [Variable] = [
        Variable(name: "name", group: "contact", description: "The contact's full name", example: "Ada Lovelace"),
        Variable(name: "first_name", group: "contact", description: "The contact's first name", example: "Ada"),
        Variable(name: "last_name", group: "contact", description: "The contact's last name", example: "Lovelace"),
        Variable(name: "phone", group: "contact", description: "The contact's phone number", example: "+12025550143"),
        Variable(name: "email", group: "contact", description: "The contact's email address", example: "ada@example.com"),
        Variable(name: "custom.<field>", group: "contact", description: "One of the contact's custom fields", example: "gold"),
        Variable(name: "call_direction", group: "call", description: "The followed-up call: inbound or outbound", example: "inbound"),
        Variable(name: "call_status", group: "call", description: "How the followed-up call ended", example: "no-answer"),
        Variable(name: "call_started_at", group: "call", description: "When the followed-up call started (UTC)", example: "2026-12-01T09:30:00.000Z"),
        Variable(name: "call_age_hours", group: "call", description: "Whole hours since the followed-up call started", example: "3"),
        Variable(name: "call_duration_seconds", group: "call", description: "How long the followed-up call lasted", example: "95"),
        Variable(name: "call_summary", group: "call", description: "The review's summary of the followed-up call", example: "Asked about opening hours."),
        Variable(name: "call_classification", group: "call", description: "The followed-up call's class", example: "appointment"),
        Variable(name: "call_handoff_reason", group: "call", description: "Why the agent handed the followed-up call over", example: "the caller asked for a person"),
        Variable(name: "call_callback_note", group: "call", description: "The callback the caller asked for", example: "Call back after 5pm"),
        Variable(name: "number_name", group: "number", description: "The name of the number that calls", example: "Front desk"),
        Variable(name: "number_phone", group: "number", description: "The number that calls", example: "+12025550100"),
        Variable(name: "workspace_name", group: "workspace", description: "The workspace's name", example: "Harbour Dental"),
    ]

    private static let ownNames = Set(catalogue.filter { $0.group != "contact" }.map(\.name))

    /// The template, parsed, with every variable a known one; a 422 on `field` names the unknown ones.
    static func parse(_ template: String, field: String) throws -> TemplateText {
        let text: TemplateText
        do throws(TemplateText.Invalid) { text = try TemplateText(template, variables: true) } catch {
            throw APIError.invalidField(field, error.message)
        }
        let unknown = text.parts.compactMap { part -> String? in
            guard case .variable(let name, _) = part, !TemplateText.contactVariables.contains(name), !name.hasPrefix("custom."),
                  !ownNames.contains(name) else { return nil }
            return "{{\(name)}}"
        }
        guard unknown.isEmpty else {
            throw APIError.invalidField(field, "unknown variables: \(unknown.joined(separator: ", ")); GET /api/v1/call-contexts/variables lists them")
        }
        return text
    }

    /// The grammar `parse` accepts, for the document (and the body's check, which names unknown variables).
    static let pattern = Pattern(TemplateText.grammar(names: TemplateText.contactVariables.sorted() + ownNames.sorted())) { text in
        do { _ = try parse(text, field: "template") } catch let error as APIError { return String(error.message.dropFirst("template: ".count)) } catch {}
        return nil
    }

    /// The values of the call's, number's and workspace's variables (the contact's come from the contact).
    static func values(call: Call?, summary: String?, number: VoiceNumber?, workspaceName: String?, nowMs: Int64) -> [String: String] {
        var values: [String: String] = [:]
        if let call {
            values["call_direction"] = call.direction
            values["call_status"] = call.status
            values["call_started_at"] = call.started_at
            if let started = RFC3339.milliseconds(call.started_at) { values["call_age_hours"] = String(max(0, nowMs - started) / 3_600_000) }
            values["call_duration_seconds"] = call.duration_seconds.map(String.init)
            values["call_summary"] = summary
            values["call_classification"] = call.classification
            values["call_handoff_reason"] = call.handoff_reason
            values["call_callback_note"] = call.callback_note
        }
        values["number_name"] = number?.name
        values["number_phone"] = number?.phoneNumber
        values["workspace_name"] = workspaceName
        return values
    }
}

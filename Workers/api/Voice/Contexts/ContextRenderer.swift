import OzziRuntime

/// A context's text for one outbound call: the template filled from the contact, the call it follows up
/// (the contact's most recent ended call unless one is named), the number that calls and the workspace.
struct ContextRenderer: Sendable {
    let contexts: CallContextStore
    let calls: CallStore
    let contacts: ContactStore
    let clock: any WallClock

    struct Rendered: Sendable {
        let context: CallContext
        let text: String
        /// Variables with no value and no fallback: left empty in the text.
        let missing: [String]
        let followedUp: Call?

        var json: JSONValue {
            ["context_id": .string(context.id), "context_name": .string(context.name), "text": .string(text),
             "missing_variables": .array(missing.map { .string($0) }), "follow_up_call_id": followedUp.map { .string($0.id) } ?? .null]
        }

        static let schema = Schema.object([
            .required("context_id", Schema.string()), .required("context_name", Schema.string()),
            .required("text", Schema.string().described("What the agent is told")),
            .required("missing_variables", Schema.array(Schema.string()).described("Variables with no value and no fallback, left empty")),
            .required("follow_up_call_id", Schema.string().nullable.described("The call it follows up")),
        ], closed: true)
    }

    /// The call a follow-up of `contact` follows: `callID` (the workspace's) or the contact's last ended call.
    func followedCall(_ scope: TenantScope, contact: Contact?, callID: String?) async throws -> Call? {
        if let callID {
            guard let call = try await calls.get(scope, id: callID) else { throw APIError.notFound("call") }
            return call
        }
        return try await contact.asyncMap { try await calls.latestEnded(scope, contactID: $0.id) } ?? nil
    }

    func render(_ scope: TenantScope, _ context: CallContext, contact: Contact?, followedUp call: Call?, number: VoiceNumber?) async throws -> Rendered {
        let summary = try await call.asyncMap { try await calls.review($0)?.json["summary"]?.stringValue } ?? nil
        let values = ContextVariables.values(call: call, summary: summary, number: number, workspaceName: try await contexts.workspaceName(scope),
                                             nowMs: clock.milliseconds)
        var missing: [String] = []
        let text = try ContextVariables.parse(context.template, field: "template").render(contact, variables: values, escapingHTML: false, missing: &missing)
        return Rendered(context: context, text: text, missing: missing, followedUp: call)
    }

    /// The context a body names (`context_id`), or the one whose rules apply (`auto_context: true`), rendered;
    /// nil when it names neither (or no context applies).
    func chosen(_ scope: TenantScope, _ body: JSONBody, contact: Contact?, number: VoiceNumber?) async throws -> Rendered? {
        let call = try await followedCall(scope, contact: contact, callID: try body.string("follow_up_call_id", max: 64))
        if let id = try body.string("context_id", max: 64) {
            guard let context = try await contexts.get(scope, id: id) else { throw APIError.notFound("call context") }
            return try await render(scope, context, contact: contact, followedUp: call, number: number)
        }
        guard try body.bool("auto_context") == true, let context = try await contexts.match(scope, followingUp: call) else { return nil }
        return try await render(scope, context, contact: contact, followedUp: call, number: number)
    }
}

import OzziRuntime

/// `/api/v1/call-contexts`: what the agent is told on outbound calls. Any member reads and renders them;
/// changes need an admin, as a number's settings do: they decide what callers hear.
extension RouteGroup {
    func addCallContextRoutes(_ s: VoiceDomain) {
        authed("GET", "", "The workspace's contexts, highest priority first (its system contexts included)", tag: "call-contexts",
               answers: .json(Schema.object([.required("data", Schema.array(.model(CallContext.self)))], closed: true))) { _, _, principal in
            .json(["data": .array(try await s.contexts.list(principal.scope).map(\.answer))] as JSONValue)
        }

        authed("GET", "/variables", "The {{variables}} a context may use, for a picker", tag: "call-contexts",
               answers: .json(Schema.object([.required("data", Schema.array(Schema.object([
                   .required("name", Schema.string().example("first_name")), .required("group", Schema.oneOf(["contact", "call", "number", "workspace"])),
                   .required("description", Schema.string()), .required("example", Schema.string()),
               ], closed: true)))], closed: true))) { _, _, _ in
            .json(["data": .array(ContextVariables.catalogue.map(\.json))] as JSONValue)
        }

        authed("POST", "", "Create a custom context; unknown {{variables}} are refused", tag: "call-contexts",
               body: .json(CallContext.body(creating: true)), answers: .json(.model(CallContext.self)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "manage call contexts")
            return .json(try await s.contexts.create(principal.scope, try CallContextStore.Fields(try JSONBody(request))).answer, status: 201)
        }

        let target = Schema.object([
            .optional("contact_id", Schema.string(min: 1, max: 64).described("The contact called")),
            .optional("follow_up_call_id", Schema.string(min: 1, max: 64).described("The call followed up; default: the contact's last ended call")),
            .optional("number_id", Schema.string(min: 1, max: 64).described("The number that calls")),
        ], closed: true)

        authed("POST", "/match", "The context whose rules apply to a follow-up of this contact (or call), rendered; null when none does",
               tag: "call-contexts", body: .json(target), answers: .json(ContextRenderer.Rendered.schema.nullable)) { request, _, principal in
            let body = try JSONBody(optional: request)
            let (contact, number) = try await s.target(principal.scope, body)
            let call = try await s.renderer.followedCall(principal.scope, contact: contact, callID: try body.string("follow_up_call_id", max: 64))
            guard let context = try await s.contexts.match(principal.scope, followingUp: call) else { return .json(JSONValue.null) }
            return .json(try await s.renderer.render(principal.scope, context, contact: contact, followedUp: call, number: number).json)
        }

        one("One context", tag: "call-contexts", noun: "call context", answers: .model(CallContext.self), item: \.answer) { try await s.contexts.get($0, id: $1) }

        authed("POST", "/:id/render", "The context's text for a contact, the call it follows up and the number that calls", tag: "call-contexts",
               body: .json(target), answers: .json(ContextRenderer.Rendered.schema)) { request, context, principal in
            guard let found = try await s.contexts.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call context") }
            let body = try JSONBody(optional: request)
            let (contact, number) = try await s.target(principal.scope, body)
            let call = try await s.renderer.followedCall(principal.scope, contact: contact, callID: try body.string("follow_up_call_id", max: 64))
            return .json(try await s.renderer.render(principal.scope, found, contact: contact, followedUp: call, number: number).json)
        }

        authed("PATCH", "/:id", "Change a context (a system context: only enabled and priority)", tag: "call-contexts",
               body: .json(CallContext.body(creating: false)), answers: .json(.model(CallContext.self))) { request, context, principal in
            try principal.require(.admin, to: "manage call contexts")
            guard let current = try await s.contexts.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call context") }
            return .json(try await s.contexts.update(principal.scope, current, try CallContextStore.Fields(try JSONBody(request))).answer)
        }

        remove("Delete a custom context", tag: "call-contexts", noun: "call context") { principal, id in
            try principal.require(.admin, to: "manage call contexts")
            return try await s.contexts.delete(principal.scope, id: id)
        }
    }
}

extension VoiceDomain {
    /// The contact and number a render or match names (each optional; a named one must be the workspace's).
    func target(_ scope: TenantScope, _ body: JSONBody) async throws -> (Contact?, VoiceNumber?) {
        let contact = try await body.string("contact_id", max: 64).asyncMap { id in
            guard let found = try await contacts.get(scope, id: id) else { throw APIError.notFound("contact") }
            return found
        }
        let number = try await body.string("number_id", max: 64).asyncMap { id in
            guard let found = try await numbers.get(scope, id: id) else { throw APIError.notFound("voice number") }
            return found
        }
        return (contact, number)
    }
}

import OzziRuntime

/// `/api/v1/calls`: the calls the voice agent took or placed, newest first, each with its status timeline
/// and transcript.
extension RouteGroup {
    func addCallRoutes(_ s: VoiceDomain) {
        let filters = [
            Parameter.query("status", Schema.string(max: 32).example("completed"), "Twilio's last CallStatus"),
            Parameter.query("direction", Schema.oneOf(["inbound", "outbound"]), "inbound or outbound"),
            Parameter.query("number_id", Schema.string(max: 64), "The voice number"),
            Parameter.query("contact_id", Schema.string(max: 64), "The caller's (or callee's) contact"),
        ]
        list("", "The workspace's calls, newest first", tag: "calls", of: .model(Call.self), filters: filters, key: \.id, item: { $0.answer() }) { request, _, principal, page in
            var given: [String: String] = [:]
            for name in ["status", "direction", "number_id", "contact_id"] { given[name] = request.queryParameter(name) }
            return try await s.calls.list(principal.scope, page: page, filters: given)
        }

        authed("POST", "", "Call someone from a voice number: the agent speaks with them, given the context and variables", tag: "calls",
               body: .json(OutboundCalls.bodySchema), answers: .json(.model(Call.self)), success: 201, creates: true) { request, _, principal in
            let call = try await s.outbound.place(principal.scope, try JSONBody(request))
            return .json(call.answer(), status: 201)
        }

        authed("GET", "/:id", "One call with its status timeline and transcript", tag: "calls", answers: .json(.model(Call.self))) { _, context, principal in
            guard let call = try await s.calls.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("call") }
            return .json(call.answer(try await s.calls.detail(call)))
        }
    }
}

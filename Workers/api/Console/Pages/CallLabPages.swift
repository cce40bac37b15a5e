import OzziRuntime

/// The voice testing lab's pages: choose a number, talk to its agent, hang up. The conversation is a lab
/// call through `VoiceLab`, as the API's `/api/v1/voice/lab` makes it; the page hands the browser the relay
/// socket with a fresh ticket each time it is shown, so a reload reconnects to the same conversation.
extension ConsolePages {
    func addCallLabPages(_ console: ConsoleDomain) {
        let shell = console.shell
        let voice = console.domains.voice

        get("/console/calls/lab") { _, _, viewer in
            let numbers = try await voice.numbers.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Voice testing lab", section: .calls, CallLabViews.start(viewer, numbers))
        }

        post("/console/calls/lab") { _, _, viewer, form in
            var fields: [String: JSONValue] = ["number_id": .string(form["number_id"] ?? "")]
            if let from = form["from"]?.trimmingASCIISpaces(), !from.isEmpty { fields["from"] = .string(String(from)) }
            do {
                guard let opened = try await voice.lab.open(viewer.principal.scope, JSONBody(fields: fields), by: viewer.principal.userID) else {
                    throw APIError.notFound("voice number")
                }
                voice.events.flushSoon()
                return ConsoleShell.redirect("/console/calls/lab/" + opened.call.id)
            } catch let error as APIError where error.status < 500 {
                // Shown on the form again: a caller number the agent cannot use, a number turned off meanwhile.
                let numbers = try await voice.numbers.list(viewer.principal.scope, page: PageRequest(limit: 100, after: nil))
                return try await shell.page(viewer, title: "Voice testing lab", section: .calls, CallLabViews.start(viewer, numbers, error: error.message),
                                            status: 422)
            }
        }

        get("/console/calls/lab/:id") { _, context, viewer in
            guard let call = try await voice.calls.get(viewer.principal.scope, id: context.parameter("id")), call.lab else {
                throw APIError.notFound("lab conversation")
            }
            // Over: its record is the call's page.
            guard call.ended_at == nil else { return ConsoleShell.redirect("/console/calls/" + call.id) }
            let number = try await call.number_id.asyncMap { try await voice.numbers.get(viewer.principal.scope, id: $0) } ?? nil
            return try await shell.page(viewer, title: "Voice testing lab", section: .calls,
                                        CallLabViews.conversation(viewer, voice.lab.relay(call), number: number, turns: try await voice.calls.turns(call)))
        }

        post("/console/calls/lab/:id/end") { _, context, viewer, _ in
            guard try await voice.lab.end(viewer.principal.scope, id: context.parameter("id")) != nil else { throw APIError.notFound("call") }
            voice.events.flushSoon()
            return ConsoleShell.redirect("/console/calls/" + context.parameter("id"))
        }
    }
}

import OzziRuntime

/// What the voice-agent worker asks the api through its service binding (`internal`: no other caller
/// reaches these routes). The worker owns no business data and no credentials: it hands Twilio's signed
/// requests over as `{url, signature, fields}`, and the api checks them with the account's auth token.
extension RouteGroup {
    func addVoiceServiceRoutes(_ s: VoiceDomain) {
        /// Twilio's call webhook: the number called, whether it is open, and the call's record (made once per CallSid).
        service("POST", "/incoming") { request, _ in
            let hook = try await s.signedForm(request)
            let to = try hook.required("To"), callSid = try hook.required("CallSid"), account = try hook.required("AccountSid")
            // An outbound call (ours, placed through the Calls API) is answered for the number that calls.
            let direction = (hook.value("Direction") ?? "inbound").hasPrefix("outbound") ? "outbound" : "inbound"
            let ours = direction == "outbound" ? try hook.required("From") : to
            guard let number = try await s.numbers.byPhone(ours) else { throw APIError.notFound("voice number") }
            guard try await s.accountServes(number.workspaceID, accountSid: account) else {
                throw APIError.forbidden("the number \(to) does not belong to Twilio account \(account)")
            }
            let afterHours = direction == "inbound" && number.settings.isClosed(atMilliseconds: s.clock.milliseconds)
            let call = try await s.calls.begin(TenantScope(workspaceID: number.workspaceID), number: number, CallStore.Start(
                callSid: callSid, accountSid: account, direction: direction, from: hook.value("From") ?? "", to: to,
                status: hook.value("CallStatus") ?? "ringing", context: .object([:]), afterHours: afterHours))
            return .json(["call_id": .string(call.id), "enabled": .bool(number.enabled), "after_hours": .bool(afterHours),
                          "settings": number.settings.json] as JSONValue)
        }

        /// The ConversationRelay socket for a call opens (or opens again): its upgrade's signature, then what the
        /// session needs — the call, the caller's contact, the number's settings, the transcript so far.
        service("POST", "/calls/:id/session") { request, context in
            let body = try JSONBody(request)
            guard let call = try await s.calls.byID(context.parameter("id")) else { throw APIError.notFound("call") }
            // A lab conversation's socket is opened by a browser, with a ticket (it cannot send Twilio's header).
            if let ticket = try body.string("ticket", max: 100) {
                try s.lab.check(ticket: ticket, for: call)
            } else {
                try await s.checkUpgrade(body, accountSid: call.account_sid)
            }
            guard !Call.finalStatuses.contains(call.status) else { throw APIError.conflict("the call has ended (\(call.status))") }
            try await s.calls.connected(call)
            let settings = try await s.numbers.settings(of: call) ?? VoiceSettings()
            let contact = try await call.contact_id.asyncMap { try await s.contacts.get(call.scope, id: $0) } ?? nil
            let turns = try await s.calls.turns(call)
            return .json(["call": call.answer(), "settings": settings.json, "context": call.context,
                          "contact": contact.map { ["id": .string($0.id), "name": .string($0.name), "first_name": .string($0.first_name)] } ?? .null,
                          "turns": .array(turns.map(\.json))] as JSONValue)
        }

        /// Transcript turns as the session settles them, in order.
        service("POST", "/calls/:id/turns") { request, context in
            guard let call = try await s.calls.byID(context.parameter("id")) else { throw APIError.notFound("call") }
            guard case .array(let items)? = try JSONBody(request).fields["turns"], items.count <= 100 else {
                throw APIError.invalidField("turns", "must be an array of at most 100 turns")
            }
            try await s.calls.append(call, turns: try items.enumerated().map { try CallTurn.Reported($1, index: $0) })
            return Response(status: 204)
        }

        /// One of the agent's tools that acts on the workspace's data.
        service("POST", "/calls/:id/tools/:name") { request, context in
            guard let call = try await s.calls.byID(context.parameter("id")) else { throw APIError.notFound("call") }
            // A lab conversation hung up (or ended by the sweep) acts no more: its socket may still be open.
            if call.lab, call.ended_at != nil { throw APIError.conflict("the lab conversation has ended") }
            let arguments = try JSONBody(request).fields["arguments"]?.objectValue ?? [:]
            return .json(["result": try await s.tools.run(context.parameter("name"), arguments: arguments, call: call)] as JSONValue)
        }

        /// An outbound call another worker asks for through its binding (`POST /voice/outbound` without a
        /// credential): the body names the workspace.
        service("POST", "/outbound") { request, _ in
            let body = try JSONBody(request)
            let workspace = try body.requiredString("workspace_id", max: 64)
            var fields = body.fields
            fields["workspace_id"] = nil
            let call = try await s.outbound.place(TenantScope(workspaceID: workspace), JSONBody(fields: fields))
            return .json(call.answer(), status: 201)
        }

        /// The TwiML app's voice request: a member calling from the browser. The Dial's number and caller id,
        /// or `refused` with what to say.
        service("POST", "/browser") { request, _ in
            let hook = try await s.signedForm(request)
            guard let dial = try await s.browser.dial(hook, defaultCountry: s.defaultCountry) else {
                return .json(["refused": "This number cannot be called from here."] as JSONValue)
            }
            return .json(["to": .string(dial.to), "caller_id": .string(dial.callerID)] as JSONValue)
        }

        /// Twilio's call status callback.
        service("POST", "/status") { request, _ in
            let hook = try await s.signedForm(request)
            guard let call = try await s.calls.bySid(try hook.required("CallSid")), call.account_sid == hook.value("AccountSid") else {
                throw APIError.notFound("call")
            }
            let status = try hook.required("CallStatus")
            if try await s.calls.report(call, status: status, sequenceNumber: hook.value("SequenceNumber").flatMap { Int($0) },
                                        durationSeconds: hook.value("CallDuration").flatMap { Int($0) }) {
                try await s.wrapUp(call)
            }
            return Response(status: 204)
        }

        /// Twilio's recording status callback: a completed recording's audio is copied into the bucket.
        service("POST", "/recording") { request, _ in
            let hook = try await s.signedForm(request)
            guard let call = try await s.calls.bySid(try hook.required("CallSid")), call.account_sid == hook.value("AccountSid") else {
                throw APIError.notFound("call")
            }
            try await s.recordings.reported(call, hook)
            return Response(status: 204)
        }

        /// The Connect action after a ConversationRelay session: recorded, and where the call goes next.
        service("POST", "/action") { request, _ in
            let hook = try await s.signedForm(request)
            guard let call = try await s.calls.bySid(try hook.required("CallSid")), call.account_sid == hook.value("AccountSid") else {
                throw APIError.notFound("call")
            }
            let handoff = hook.value("HandoffData").flatMap { $0.isEmpty ? nil : $0 }
            let parsed = handoff.flatMap { try? JSONValue(jsonBytes: Array($0.utf8)) }
            let wantsHuman = parsed?["reasonCode"]?.stringValue == "live-agent-handoff"
            let reason = parsed.flatMap { $0["reason"]?.stringValue ?? $0["reasonCode"]?.stringValue }
            try await s.calls.sessionEnded(call, sessionStatus: hook.value("SessionStatus") ?? "ended", handoffData: handoff, handoffReason: reason)
            let settings = try await s.numbers.settings(of: call)
            let transfer = wantsHuman && hook.value("CallStatus") != "completed" ? settings?.transferTo : nil
            return .json(["transfer_to": transfer.map { .string($0) } ?? .null, "call_id": .string(call.id)] as JSONValue)
        }
    }
}

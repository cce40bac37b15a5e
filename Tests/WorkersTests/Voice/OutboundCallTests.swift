import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Outbound calls on the simulated provider (the default): the voice worker plays the call against its own
/// routes as Twilio would — status callbacks, the signed incoming webhook, a ConversationRelay session with
/// the script's lines, the Connect action — and the call's record shows all of it.
@Suite struct OutboundCallTests {
    @Test func aSimulatedCallPlaysThroughTheAgentAndIsRecorded() async throws {
        // Tools get a minute: under a full parallel suite on two cores an api call can take seconds.
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("owner@example.com").string("access_token"))
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Desk", "greeting": "Hi, this is Harbour Dental calling.",
            "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five."]], "transfer_to": "+12025550199",
        ], token: token)
        let numberID = try #require(number.string("id"), "\(number.body)")

        // Through the voice worker's /outbound, with the caller's credential, as an integration would.
        let placed = try await host.call("POST", "/voice/outbound", json: [
            "number_id": .string(numberID), "to": "(202) 555-0143", "context": "Remind Ada of Friday's cleaning.",
            "variables": ["first_name": "Ada"],
            "script": ["Hello?", "What are your opening hours?", "Please take a message: my tooth hurts", "Can you call me back tomorrow?",
                       "Can I talk to a person?"],
        ], token: token)
        #expect(placed.status == 201, "\(placed.body)")
        #expect(placed.string("direction") == "outbound" && placed.string("to") == "+12025550143")
        let id = try #require(placed.string("id"))

        var call = placed
        // Patience, not speed: a simulated call on two starved cores may take a while to play out.
        let finished = try await Poll.until(timeout: .seconds(300)) {
            call = try await host.call("GET", "/api/v1/calls/\(id)", token: token)
            return call.string("status") == "completed"
        }
        #expect(finished, "\(call.body)")
        let statuses = call.json["events"]?.arrayValue?.compactMap { $0["status"]?.stringValue }
        #expect(statuses == ["queued", "initiated", "ringing", "in-progress", "completed"], "\(call.body)")
        #expect(call.json["context"]?["variables"]?["first_name"] == "Ada")
        let lines = (call.json["turns"]?.arrayValue ?? []).map { "\($0["role"]?.stringValue ?? "") \($0["text"]?.stringValue ?? "")" }
        #expect(lines == ["agent Hi, this is Harbour Dental calling.", "caller Hello?", "agent " + (lines.count > 2 ? String(lines[2].dropFirst(6)) : ""),
                          "caller What are your opening hours?", "agent We are open from nine to five.",
                          "caller Please take a message: my tooth hurts", "tool take_message", "agent I have taken your message and passed it to the team.",
                          "caller Can you call me back tomorrow?", "tool schedule_callback", "agent I have asked the team to call you back as soon as possible.",
                          "caller Can I talk to a person?", "tool transfer_to_human", "agent Let me put you through to a person now."], "\(lines)")
        // The message is on the callee's contact (made for the call: the number was unknown); the callback on the call.
        let contactID = try #require(call.string("contact_id"), "\(call.body)")
        let contact = try await host.call("GET", "/api/v1/contacts/\(contactID)", token: token)
        #expect(contact.string("phone") == "+12025550143" && contact.string("source") == "voice", "\(contact.body)")
        #expect(contact.string("notes")?.hasSuffix("] Please take a message: my tooth hurts") == true, "\(contact.body)")
        #expect(call.string("callback_requested_at") != nil && call.string("callback_note") == "Call back as soon as possible", "\(call.body)")
        // The call as the workspace's live stream told it.
        let numberEvent = try await host.database("api", of: "api").prepare("SELECT seq FROM workspace_events WHERE type = 'voice_number.created'").first()?.integer("seq")
        let stream = try await host.call("GET", "/api/v1/stream?last_event_id=\(try #require(numberEvent))", token: token, maxSeconds: 1)
        for type in ["call.started", "call.status", "call.turn", "call.callback_requested", "call.handoff", "call.ended"] {
            #expect(stream.body.contains("event: \(type)\n"), "\(type) in \(stream.body.prefix(2_000))")
        }
        #expect(call.string("handoff_reason") == "the caller asked for a person")
        #expect(call.json["duration_seconds"]?.numberValue ?? 0 >= 1)
        #expect(call.string("answered_at") != nil)
    }

    @Test func badRequestsAreRefusedByName() async throws {
        let host = try await WorkerTestHost.start("voice-agent")
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("owner@example.com").string("access_token"))
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk", "enabled": false],
                                         token: token)
        let numberID = try #require(number.string("id"))
        for (body, status, field) in [
            (["to": "+12025550143"], 422, "number_id"),
            (["number_id": "vnum_nope", "to": "+12025550143"], 404, nil),
            (["number_id": .string(numberID), "to": "call me"], 422, "to"),
            (["number_id": .string(numberID), "to": "+12025550143", "script": ["", "x"]], 422, "script"),
            (["number_id": .string(numberID), "to": "+12025550143"], 409, "number_id"),
        ] as [(JSONValue, Int, String?)] {
            let refused = try await host.call("POST", "/api/v1/calls", json: body, token: token)
            #expect(refused.status == status, "\(body): \(refused.body)")
            if let field { #expect(refused.json["error"]?["details"]?["field"]?.stringValue?.hasPrefix(field) == true, "\(body): \(refused.body)") }
        }
        #expect(try await host.call("POST", "/voice/outbound", json: ["number_id": .string(numberID), "to": "+12025550143"]).status == 401,
                "no credential, no call")
        #expect(try await host.call("GET", "/api/v1/calls", token: token).data.isEmpty)
    }
}

/// Outbound calls through Twilio's Calls API, against the local stub that checks its wire format.
@Suite struct TwilioOutboundCallTests {
    @Test func theCallsAPIIsSpokenExactlyAndARefusalIsNamed() async throws {
        let sid = "AC" + String(repeating: "c3", count: 16)
        let stub = try await StubServer("twilio_stub.py", [sid, "calls-secret"])
        let api = try await APIHost.start(vars: ["TWILIO_API_BASE": stub.base, "VOICE_URL": "https://voice.example.com/voice/"])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("calls@example.com").string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(sid), "auth_token": "calls-secret",
                                                                      "from_number": "+12025550100"], token: token).status == 200)
        let number = try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: token)
        let numberID = try #require(number.string("id"))

        let placed = try await api.call("POST", "/api/v1/calls", json: ["number_id": .string(numberID), "to": "+14155550142"], token: token)
        #expect(placed.status == 201, "\(placed.body)")
        let callSid = try #require(placed.string("call_sid"))
        #expect(callSid.hasPrefix("CA") && placed.string("status") == "queued")
        let request = try #require(try await stub.requests().last)
        #expect(request["path"] as? String == "/2010-04-01/Accounts/\(sid)/Calls.json")
        #expect((request["problems"] as? [Any])?.isEmpty == true, "\(request)")
        let pairs = (request["pairs"] as? [[String]] ?? []).map { $0.joined(separator: "=") }
        #expect(pairs == ["To=+14155550142", "From=+12025550100", "Url=https://voice.example.com/voice/incoming", "Method=POST",
                          "StatusCallback=https://voice.example.com/voice/status-callback", "StatusCallbackMethod=POST",
                          "StatusCallbackEvent=initiated", "StatusCallbackEvent=ringing", "StatusCallbackEvent=answered", "StatusCallbackEvent=completed"],
                "\(pairs)")

        // Twilio refuses the number: the caller learns Twilio's code, and no call is left behind.
        let refused = try await api.call("POST", "/api/v1/calls", json: ["number_id": .string(numberID), "to": "+15005550001"], token: token)
        #expect(refused.status == 502 && refused.json["error"]?["details"]?["provider_code"] == "21211", "\(refused.body)")
        #expect(try await api.call("GET", "/api/v1/calls", token: token).data.map { $0["call_sid"]?.stringValue } == [callSid])
    }
}

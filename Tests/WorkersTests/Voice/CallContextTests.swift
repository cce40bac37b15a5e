import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Contexts for outbound calls: the picker's variables, system contexts every workspace has, a custom
/// context's variables filled for a contact and the call it follows up, matching by rules and priority,
/// and an outbound call that takes its context by id or by its rules.
@Suite struct CallContextTests {
    @Test func aContextsVariablesInterpolateForAContactAndItsLastCall() async throws {
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("contexts@example.com").string("access_token"))
        let variables = try await host.call("GET", "/api/v1/call-contexts/variables", token: token)
        let names = variables.data.compactMap { $0["name"]?.stringValue }
        #expect(names.contains("call_summary") && names.contains("first_name"), "\(variables.body)")
        let system = try await host.call("GET", "/api/v1/call-contexts", token: token)
        #expect(Set(system.data.compactMap { $0["system_key"]?.stringValue }) == ["missed_call", "recent_call", "short_call", "general"], "\(system.body)")

        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Front desk",
            "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five."]],
        ], token: token)
        let numberID = try #require(number.string("id"))
        let ada = try await host.call("POST", "/api/v1/contacts", json: [
            "first_name": "Ada", "last_name": "Lovelace", "phone": "+12025550143", "custom_fields": ["plan": "gold"],
        ], token: token)
        let adaID = try #require(ada.string("id"), "\(ada.body)")

        let created = try await host.call("POST", "/api/v1/call-contexts", json: [
            "name": "Plan follow-up", "priority": 50, "rules": ["statuses": ["completed"], "max_age_hours": 24],
            "template": "Hi {{first_name}}, about your {{custom.plan|basic}} plan and your call to {{number_name}}: {{call_summary|no summary}}. {{call_callback_note}}",
        ], token: token)
        #expect(created.status == 201 && created.string("kind") == "custom", "\(created.body)")
        let contextID = try #require(created.string("id"))

        // Before any call: rendered for Ada, the call's variables empty (the fallback, or named as missing).
        let before = try await host.call("POST", "/api/v1/call-contexts/\(contextID)/render", json: ["contact_id": .string(adaID), "number_id": .string(numberID)],
                                         token: token)
        #expect(before.string("text") == "Hi Ada, about your gold plan and your call to Front desk: no summary. ", "\(before.body)")
        #expect(before.json["missing_variables"] == ["call_callback_note"] && before.json["follow_up_call_id"] == .null, "\(before.body)")
        #expect(try await host.call("POST", "/api/v1/call-contexts/match", json: ["contact_id": .string(adaID)], token: token).json == .null)

        // A call with Ada ends and is reviewed: now her custom context applies (priority 50 over the system ones).
        let first = try await CallCenterTests.playCall(host, token: token, numberID: numberID, to: "+12025550143",
                                                       script: ["Hello?", "What are your opening hours?"])
        let summary = try #require(first.json["review"]?["summary"]?.stringValue, "\(first.body)")
        let matched = try await host.call("POST", "/api/v1/call-contexts/match", json: ["contact_id": .string(adaID), "number_id": .string(numberID)],
                                          token: token)
        #expect(matched.string("context_id") == contextID && matched.string("follow_up_call_id") == first.string("id"), "\(matched.body)")
        #expect(matched.string("text") == "Hi Ada, about your gold plan and your call to Front desk: \(summary). ", "\(matched.body)")

        // Placed with its rules: the call carries the rendered text and which context made it.
        let placed = try await host.call("POST", "/api/v1/calls", json: ["number_id": .string(numberID), "to": "+12025550143", "auto_context": true,
                                                                         "script": ["Hello?"]], token: token)
        #expect(placed.status == 201, "\(placed.body)")
        #expect(placed.json["context"]?["context_id"]?.stringValue == contextID, "\(placed.body)")
        #expect(placed.json["context"]?["context"]?.stringValue == matched.string("text"), "\(placed.body)")

        // Turned off, the next rule by priority applies: the one-second call was a dropped call.
        #expect(try await host.call("PATCH", "/api/v1/call-contexts/\(contextID)", json: ["enabled": false], token: token).status == 200)
        let next = try await host.call("POST", "/api/v1/call-contexts/match", json: ["contact_id": .string(adaID), "follow_up_call_id": first.json["id"]!],
                                       token: token)
        #expect(next.string("context_name") == "Dropped call" || next.string("context_name") == "Recent call follow-up", "\(next.body)")

        // System contexts are reordered or turned off, not rewritten; unknown variables and rules are named.
        let short = try #require(system.data.first { $0["system_key"] == "short_call" }?["id"]?.stringValue)
        for (method, path, body, status, field) in [
            ("PATCH", "/api/v1/call-contexts/\(short)", ["template": "Hi"], 409, "template"),
            ("DELETE", "/api/v1/call-contexts/\(short)", nil, 409, "id"),
            ("POST", "/api/v1/call-contexts", ["name": "x", "template": "{{shoe_size}}"], 422, "template"),
            ("POST", "/api/v1/call-contexts", ["name": "x", "template": "Hi", "rules": ["direction": "up"]], 422, "rules.direction"),
            ("POST", "/api/v1/calls", ["number_id": .string(numberID), "to": "+12025550143", "context": "x", "auto_context": true], 422, "auto_context"),
            ("POST", "/api/v1/calls", ["number_id": .string(numberID), "to": "+12025550143", "context_id": "cctx_nope"], 404, nil),
        ] as [(String, String, JSONValue?, Int, String?)] {
            let refused = try await host.call(method, path, json: body, token: token)
            #expect(refused.status == status, "\(method) \(path): \(refused.body)")
            if let field { #expect(refused.json["error"]?["details"]?["field"]?.stringValue == field, "\(refused.body)") }
        }
        #expect(try await host.call("PATCH", "/api/v1/call-contexts/\(short)", json: ["priority": 99, "enabled": false], token: token).status == 200)
        #expect(try await host.call("DELETE", "/api/v1/call-contexts/\(contextID)", token: token).status == 204)
    }
}

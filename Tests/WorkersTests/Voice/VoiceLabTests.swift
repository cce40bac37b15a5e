import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The voice testing lab: tickets that open one conversation's socket (unit), a conversation over real
/// sockets as the console's page holds it (Tests/clients/voice_lab.py: tokens streamed, tools shown running
/// and answered, the agent's end), and the lab call's record: refused inputs, hanging up, the sweep that ends
/// an abandoned one, and the call center's totals that leave it out.
@Suite struct VoiceLabTests {
    static let caller = "+12025550143"

    @Test func aTicketOpensItsOwnConversationUntilItExpires() {
        let tickets = VoiceLabTicket(key: Array(repeating: 3, count: 32))
        let (ticket, expires) = tickets.issue(callID: "call_a", nowMs: 1_000)
        #expect(expires == 1_000 + VoiceLabTicket.lifetimeMs)
        #expect(tickets.opens(ticket, callID: "call_a", nowMs: 2_000))
        #expect(!tickets.opens(ticket, callID: "call_b", nowMs: 2_000))
        #expect(!tickets.opens(ticket, callID: "call_a", nowMs: expires))
        #expect(!VoiceLabTicket(key: Array(repeating: 4, count: 32)).opens(ticket, callID: "call_a", nowMs: 2_000))
        // A later expiry with the same MAC, or no MAC, or no number, opens nothing.
        let mac = ticket.split(separator: ".")[1]
        for forged in ["\(expires + 1).\(mac)", "\(expires).", "\(mac)", "", "x.y", String(repeating: "9", count: 200)] {
            #expect(!tickets.opens(forged, callID: "call_a", nowMs: 2_000), "\(forged)")
        }
    }

    @Test func aConversationStreamsTheAgentsWordsAndShowsItsToolsRun() async throws {
        // One word every 150 ms: the interruption after three words lands while the agent is still speaking.
        let host = try await WorkerTestHost.start("voice-agent", .live, vars: ["AGENT_TOKEN_MS": "150", "TOOL_TIMEOUT_MS": "170000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("lab@example.com").string("access_token"))
        let contact = try await host.call("POST", "/api/v1/contacts", json: ["first_name": "Grace", "last_name": "Hopper", "phone": .string(Self.caller)],
                                          token: token)
        #expect(contact.status == 201, "\(contact.body)")
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Front desk", "greeting": "Harbour Dental, how can I help?",
            "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five, Monday to Friday."]],
        ], token: token)
        let numberID = try #require(number.string("id"), "\(number.body)")
        // A phone call's socket (a test call on the simulated phone): a lab ticket must not open it.
        let phoneCall = try await host.call("POST", "/api/v1/voice/numbers/\(numberID)/test-calls", json: ["script": ["Hello?"]], token: token)
        let phoneCallID = try #require(phoneCall.string("id"), "\(phoneCall.body)")

        let run = try await Subprocess.run("/usr/bin/python3", [Subprocess.clientPath("voice_lab.py"), host.base, token, numberID, Self.caller, phoneCallID])
        #expect(run.status == 0, "voice_lab.py: \(run.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
        #expect((seen["errors"] as? [String: Any])?.isEmpty == true, "\(seen["errors"] ?? "")")
        #expect(seen["open_status"] as? Int == 201, "\(seen["opened"] ?? "")")
        let opened = try #require(seen["opened"] as? [String: Any])
        let callID = try #require(seen["call_id"] as? String)
        #expect((opened["socket_path"] as? String)?.hasPrefix("/voice/ws/\(callID)?ticket=") == true, "\(opened)")
        #expect((opened["call"] as? [String: Any])?["lab"] as? Bool == true)

        for refusal in ["no_ticket", "tampered_ticket", "ticket_on_other_call"] {
            let answer = seen[refusal] as? [String: Any]
            #expect(answer?["refused"] as? Bool == true && answer?["status"] as? Int == 403, "\(refusal): \(answer ?? [:])")
        }

        // The knowledge answer, a token at a time.
        let hours = try #require(seen["hours"] as? [String: Any])
        #expect(hours["answer"] as? String == "We are open from nine to five, Monday to Friday.", "\(hours)")
        #expect((hours["tokens"] as? Int ?? 0) >= 5 && (hours["tools"] as? [Any])?.isEmpty == true, "\(hours)")
        // The caller lookup: running, then answered with the contact, then words that use it.
        let who = try #require(seen["who"] as? [String: Any])
        let tools = try #require(who["tools"] as? [[String: Any]], "\(who)")
        #expect(tools.map { $0["state"] as? String } == ["running", "done"] && tools.allSatisfy { $0["name"] as? String == "lookup_caller" }, "\(tools)")
        #expect(tools.first?["id"] as? String == tools.last?["id"] as? String && tools.first?["result"] == nil, "\(tools)")
        let result = try #require(tools.last?["result"] as? [String: Any], "\(tools)")
        #expect(result["found"] as? Bool == true && result["first_name"] as? String == "Grace", "\(result)")
        #expect((who["answer"] as? String)?.contains("Grace") == true, "\(who)")
        // Cut off after three words: acknowledged, and nothing of that answer after the acknowledgement.
        let interrupt = try #require(seen["interrupt"] as? [String: Any])
        #expect((interrupt["heard"] as? String)?.split(separator: " ").count == 3, "\(interrupt)")
        #expect((interrupt["after_ack"] as? [Any])?.isEmpty == true, "\(interrupt)")
        #expect(((interrupt["before_ack"] as? [[String: Any]]) ?? []).allSatisfy { $0["type"] as? String == "text" && $0["last"] as? Bool == false }, "\(interrupt)")
        // Goodbye: end_call runs, the agent's last words, then the session's end.
        let goodbye = try #require(seen["goodbye"] as? [String: Any])
        #expect((goodbye["tools"] as? [[String: Any]])?.map { "\($0["name"] ?? "") \($0["state"] ?? "")" } == ["end_call running", "end_call done"], "\(goodbye)")
        let end = try #require((goodbye["others"] as? [[String: Any]])?.last, "\(goodbye)")
        #expect(end["type"] as? String == "end" && (end["handoffData"] as? String)?.contains("end-call") == true, "\(end)")

        // Hung up: completed and reviewed as any call, its transcript whole, tools and all.
        let hungUp = try await host.call("POST", "/api/v1/voice/lab/\(callID)/end", token: token)
        #expect(hungUp.status == 200 && hungUp.string("status") == "completed" && hungUp.json["lab"] == true, "\(hungUp.body)")
        #expect(try await Poll.until(timeout: .seconds(120)) {
            try await host.call("GET", "/api/v1/calls/\(callID)", token: token).string("review_status") == "done"
        })
        let record = try await host.call("GET", "/api/v1/calls/\(callID)", token: token)
        let turns = record.json["turns"]?.arrayValue ?? []
        #expect(turns.first?["text"]?.stringValue == "Harbour Dental, how can I help?", "\(record.body)")
        #expect(turns.contains { $0["role"] == "tool" && $0["tool"]?["name"] == "lookup_caller" }, "\(record.body)")
        #expect(turns.contains { $0["role"] == "caller" && $0["text"] == "Who am I?" }, "\(record.body)")
        #expect(record.json["price"] == .null, "a lab conversation costs nothing: \(record.body)")
        // Hanging up again changes nothing: one end on the timeline.
        let again = try await host.call("POST", "/api/v1/voice/lab/\(callID)/end", token: token)
        #expect(again.status == 200 && again.string("ended_at") == hungUp.string("ended_at"), "\(again.body)")
        let ends = try await host.call("GET", "/api/v1/calls/\(callID)", token: token).json["events"]?.arrayValue?.filter { $0["status"] == "completed" }
        #expect(ends?.count == 1, "\(ends ?? [])")
        // The socket does not open on an ended conversation, even with its own ticket (the upgrade is answered 409).
        let path = try #require(opened["socket_path"] as? String)
        let upgrade = try await Subprocess.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30", "-H", "Connection: Upgrade",
                                                 "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                                                 host.base + path])
        #expect(upgrade.stdout == "409", "\(upgrade.stdout)")
    }

    @Test func aLabCallIsRefusedWhatItCannotUseEndsWhenAbandonedAndIsNotCounted() async throws {
        let clock = ManualClock(milliseconds: 1_900_000_000_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        // An API key: an access token would expire as the clock moves past the idle time.
        let access = try #require(try await api.signUp("lab-record@example.com").string("access_token"))
        let token = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "lab"], token: access).string("key"))
        let number = try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: token)
        let numberID = try #require(number.string("id"), "\(number.body)")

        #expect(try await api.call("POST", "/api/v1/voice/lab", json: ["number_id": "vnum_nope"], token: token).status == 404)
        let badCaller = try await api.call("POST", "/api/v1/voice/lab", json: ["number_id": .string(numberID), "from": "not a phone"], token: token)
        #expect(badCaller.status == 422 && badCaller.json["error"]?["details"]?["field"] == "from", "\(badCaller.body)")
        #expect(try await api.call("POST", "/api/v1/voice/lab", json: ["number_id": .string(numberID), "to": "+1"], token: token).status == 422)

        let opened = try await api.call("POST", "/api/v1/voice/lab", json: ["number_id": .string(numberID)], token: token)
        #expect(opened.status == 201, "\(opened.body)")
        let callID = try #require(opened.json["call"]?["id"]?.stringValue)
        #expect(opened.json["call"]?["from"] == .string(SimulatedCalls.defaultCaller) && opened.json["call"]?["placed_by"] != .null, "\(opened.body)")
        #expect(opened.string("expires_at") == Timestamp.at(milliseconds: 1_900_000_000_000 + VoiceLabTicket.lifetimeMs), "\(opened.body)")

        // Not a live call on the dashboard while it goes on.
        let during = try await api.call("GET", "/api/v1/calls/stats?since=2030-03-01&until=2030-03-31", token: token)
        #expect(during.json["totals"]?["live"] == 0, "\(during.body)")

        // Left open: the sweep ends it once nothing has been said for the idle time.
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let voice = try #require(worker.domains.compactMap { $0 as? VoiceDomain }.first)
        try await voice.maintain()
        #expect(try await api.call("GET", "/api/v1/calls/\(callID)", token: token).json["ended_at"] == .null)
        clock.advance(byMilliseconds: VoiceLab.idleMs + 1_000)
        try await voice.maintain()
        let ended = try await api.call("GET", "/api/v1/calls/\(callID)", token: token)
        #expect(ended.string("status") == "completed" && ended.json["ended_at"] != .null, "\(ended.body)")

        // The call center's totals leave the lab out.
        let stats = try await api.call("GET", "/api/v1/calls/stats?since=2030-03-01&until=2030-03-31", token: token)
        #expect(stats.json["totals"]?["calls"] == 0, "\(stats.body)")

        // A phone call is not hung up here.
        let phone = try await api.call("POST", "/api/v1/voice/numbers/\(numberID)/test-calls", token: token)
        let phoneEnd = try await api.call("POST", "/api/v1/voice/lab/\(try #require(phone.string("id")))/end", token: token)
        #expect(phoneEnd.status == 409, "\(phoneEnd.body)")

        // Another workspace's member cannot end it.
        let other = try #require(try await api.signUp("other@example.com").string("access_token"))
        #expect(try await api.call("POST", "/api/v1/voice/lab/\(callID)/end", token: other).status == 404)
    }
}

import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Voice numbers and the webhooks around a call, in process: settings checked field by field, business
/// hours in the number's time zone, signatures and accounts, status callbacks Twilio repeats.
@Suite struct VoiceNumberTests {
    static let account = "AC" + String(repeating: "5", count: 32)
    static let authToken = "voice-number-test-token"
    /// Monday 30 November 2026, 10:00 in New York.
    static let mondayMorning: Int64 = 1_796_050_800_000

    struct Setup {
        let host: WorkerTestHost
        let clock: ManualClock
        let token: String
    }

    static func setUp() async throws -> Setup {
        let clock = ManualClock(milliseconds: mondayMorning)
        let host = try await WorkerTestHost.start("voice-agent", clock: clock)
        let token = try #require(try await host.signUp("owner@example.com").string("access_token"))
        let sms = try await host.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(account),
                                                                           "auth_token": .string(authToken), "from_number": "+12025550100"], token: token)
        #expect(sms.status == 200, "\(sms.body)")
        return Setup(host: host, clock: clock, token: token)
    }

    /// Twilio's form POST to the voice worker, signed over the URL it called.
    static func twilio(_ host: WorkerTestHost, _ path: String, _ fields: [(String, String)], token: String = authToken,
                       signed: Bool = true) async throws -> TestResponse {
        let url = "http://127.0.0.1" + path
        var headers = ["Content-Type": "application/x-www-form-urlencoded"]
        if signed { headers["X-Twilio-Signature"] = TwilioSignature.sign(url: url, parameters: fields, authToken: token) }
        return try await host.call("POST", path, raw: FormEncoding.encode(fields), headers: headers)
    }

    static func incoming(_ host: WorkerTestHost, callSid: String, to: String = "+12025550100", account: String = account,
                         token: String = authToken) async throws -> TestResponse {
        try await twilio(host, "/voice/incoming", [("CallSid", callSid), ("AccountSid", account), ("From", "+12025550143"), ("To", to),
                                                   ("CallStatus", "ringing"), ("Direction", "inbound")], token: token)
    }

    @Test func settingsAreCheckedFieldByField() async throws {
        let s = try await Self.setUp()
        defer { Task { await s.host.stop() } }
        func create(_ fields: [String: JSONValue]) async throws -> TestResponse {
            var body: [String: JSONValue] = ["phone_number": "+12025550100", "name": "Desk"]
            body.merge(fields) { $1 }
            return try await s.host.call("POST", "/api/v1/voice/numbers", json: .object(body), token: s.token)
        }
        for (fields, named) in [
            (["interruptible": "sometimes"], "interruptible"),
            (["language": "english!"], "language"),
            (["tts_provider": "Eleven\"Labs"], "tts_provider"),
            (["business_hours": ["time_zone": "Mars/Olympus", "weekly": [:]]], "business_hours.time_zone"),
            (["business_hours": ["time_zone": "America/New_York", "weekly": ["mon": [["17:00", "09:00"]]]]], "business_hours.weekly.mon[0]"),
            (["business_hours": ["time_zone": "America/New_York", "weekly": ["funday": [["09:00", "17:00"]]]]], "business_hours.weekly"),
            (["menu": ["1": ["action": "say"]]], "menu.1.text"),
            (["menu": ["x": ["action": "end"]]], "menu"),
            (["knowledge": [["topic": "", "answer": "a"]]], "knowledge[0].topic"),
            (["transfer_to": "not a phone"], "transfer_to"),
        ] as [([String: JSONValue], String)] {
            let refused = try await create(fields)
            #expect(refused.status == 422, "\(fields): \(refused.body)")
            #expect(refused.json["error"]?["details"]?["field"]?.stringValue?.hasPrefix(named) == true, "\(fields): \(refused.body)")
        }
        let made = try await create(["menu": ["0": ["action": "transfer"]], "transfer_to": "(202) 555-0199",
                                     "business_hours": ["time_zone": "America/New_York", "weekly": ["mon": [["09:00", "17:00"]], "sun": [["10:00", "24:00"]]]]])
        #expect(made.status == 201, "\(made.body)")
        #expect(made.string("transfer_to") == "+12025550199")
        #expect(made.string("greeting") == "Hello! How can I help you today?", "defaults fill what was not given")
        let id = try #require(made.string("id"))
        #expect(try await create([:]).status == 409, "one number, one workspace")
        let changed = try await s.host.call("PATCH", "/api/v1/voice/numbers/\(id)", json: ["greeting": "Hi there", "business_hours": .null], token: s.token)
        #expect(changed.status == 200 && changed.string("greeting") == "Hi there", "\(changed.body)")
        #expect(changed.body.contains("\"business_hours\":null") && changed.string("transfer_to") == "+12025550199", "a change keeps what it does not name")
        let list = try await s.host.call("GET", "/api/v1/voice/numbers", token: s.token)
        #expect(list.data.count == 1)
        #expect(try await s.host.call("DELETE", "/api/v1/voice/numbers/\(id)", token: s.token).status == 204)
        #expect(try await s.host.call("GET", "/api/v1/voice/numbers/\(id)", token: s.token).status == 404)
    }

    @Test func businessHoursDecideBetweenTheAgentAndTheAfterHoursMessage() async throws {
        let s = try await Self.setUp()
        defer { Task { await s.host.stop() } }
        let made = try await s.host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Desk", "after_hours_message": "We are closed & will call back.",
            "business_hours": ["time_zone": "America/New_York", "weekly": ["mon": [["09:00", "10:05"]]]],
        ], token: s.token)
        #expect(made.status == 201, "\(made.body)")
        let open = try await Self.incoming(s.host, callSid: "CA" + String(repeating: "1", count: 32))
        #expect(open.status == 200 && open.body.contains("<ConversationRelay"), "\(open.body)")
        s.clock.advance(byMilliseconds: 5 * 60_000)  // 10:05 in New York: closed (the access token lives 15 minutes)
        let closed = try await Self.incoming(s.host, callSid: "CA" + String(repeating: "2", count: 32))
        #expect(closed.body.contains("<Say language=\"en-US\">We are closed &amp; will call back.</Say><Hangup/>"), "\(closed.body)")
        let calls = try await s.host.call("GET", "/api/v1/calls", token: s.token)
        #expect(calls.data.map { $0["after_hours"] } == [true, false], "newest first: \(calls.body)")
    }

    @Test func signaturesAccountsAndUnknownNumbers() async throws {
        let s = try await Self.setUp()
        defer { Task { await s.host.stop() } }
        _ = try await s.host.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: s.token)
        let sid = "CA" + String(repeating: "3", count: 32)
        #expect(try await Self.incoming(s.host, callSid: sid, token: "wrong-token").status == 403)
        #expect(try await Self.twilio(s.host, "/voice/incoming", [("CallSid", sid), ("AccountSid", Self.account), ("To", "+12025550100")], signed: false).status == 403)
        // Another Twilio account (here the simulated one, which this host knows) may not start calls on this workspace's number.
        let other = try await Self.incoming(s.host, callSid: sid, account: "AC00000000000000000000000000000000", token: "unknown")
        #expect(other.status == 403, "\(other.body)")
        let unknown = try await Self.incoming(s.host, callSid: sid, to: "+12025550111")
        #expect(unknown.status == 200 && unknown.body.contains("not in service"), "\(unknown.body)")
        #expect(try await s.host.call("GET", "/api/v1/calls", token: s.token).data.isEmpty, "refused calls leave no record")

        // Twilio repeats itself: one call per CallSid, one timeline entry per SequenceNumber.
        #expect(try await Self.incoming(s.host, callSid: sid).status == 200)
        #expect(try await Self.incoming(s.host, callSid: sid).status == 200)
        let calls = try await s.host.call("GET", "/api/v1/calls", token: s.token)
        #expect(calls.data.count == 1)
        let callID = try #require(calls.data.first?["id"]?.stringValue)
        for _ in 0..<2 {
            let status = try await Self.twilio(s.host, "/voice/status-callback", [("CallSid", sid), ("AccountSid", Self.account), ("CallStatus", "completed"),
                                                                                  ("CallDuration", "17"), ("SequenceNumber", "3")])
            #expect(status.status == 204, "\(status.body)")
        }
        let call = try await s.host.call("GET", "/api/v1/calls/\(callID)", token: s.token)
        #expect(call.string("status") == "completed" && call.json["duration_seconds"] == 17)
        #expect(call.json["events"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["ringing", "completed"])
        // Without a handoff the Connect action hangs up.
        let action = try await Self.twilio(s.host, "/voice/action", [("CallSid", sid), ("AccountSid", Self.account), ("CallStatus", "in-progress"),
                                                                     ("SessionStatus", "ended")])
        #expect(action.body.hasSuffix("<Response><Hangup/></Response>"), "\(action.body)")
        // A call another workspace cannot see.
        let stranger = try #require(try await s.host.signUp("stranger@example.com").string("access_token"))
        #expect(try await s.host.call("GET", "/api/v1/calls/\(callID)", token: stranger).status == 404)
        #expect(try await s.host.call("GET", "/api/v1/calls", token: stranger).data.isEmpty)
    }
}

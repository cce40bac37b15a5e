import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Sends through the real Twilio client run many at once: one send the provider never answers holds one
/// slot, not the pipeline, so the other messages of its workspace and of another go out meanwhile; and
/// the unanswered one goes to review, sent once.
@Suite struct DeliveryPipelineTests {
    let messaging = MessagingTests()

    @Test func aStalledSendHoldsUpNoOtherMessage() async throws {
        let sids = ["AC" + String(repeating: "c3", count: 16), "AC" + String(repeating: "d4", count: 16)]
        let stub = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/twilio_stub.py", sids[0], "token-a",
                                                         "--account", sids[1] + ":token-b"])
        defer { stub.stop() }
        let port = try await stub.waitFor(#"PORT (\d+)"#)
        // The stalled call ends when the test releases it, long before this timeout.
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging([
            "TWILIO_API_BASE": "http://127.0.0.1:\(port)", "TWILIO_TIMEOUT_MS": "600000",
        ]) { $1 })
        defer { Task { await api.stop() } }
        var tokens: [String] = []
        for (index, sid) in sids.enumerated() {
            let token = try #require(try await api.signUp("pipeline\(index)@example.com").string("access_token"))
            let settings = try await api.call("PUT", "/api/v1/sms/settings", json: [
                "provider": "twilio", "account_sid": .string(sid), "auth_token": .string(index == 0 ? "token-a" : "token-b"),
                "from_number": .string("+1555000444\(index)"),
            ], token: token)
            #expect(settings.status == 200, "\(settings.body)")
            var contacts: [String] = []
            if index == 0 { contacts.append(try await messaging.contact(api, token, "+15005550008", name: "Stalled")) }
            for i in 0..<30 { contacts.append(try await messaging.contact(api, token, "+1415555\(index)\(String(format: "%03d", i))", name: "P\(i)")) }
            let scheduled = try await api.call("POST", "/api/v1/messages", json: [
                "contact_ids": .array(contacts.map(JSONValue.string)), "body": "Hello {{first_name}}",
            ], token: token)
            #expect(scheduled["ids"]?.arrayValue?.count == contacts.count, "\(scheduled.body)")
            tokens.append(token)
        }
        /// Each message's status by its number, both workspaces together.
        func statuses() async throws -> [String: String] {
            var all: [String: String] = [:]
            for token in tokens {
                for message in try await api.call("GET", "/api/v1/messages?limit=100", token: token).data {
                    all[message["to"]?.stringValue ?? ""] = message["status"]?.stringValue
                }
            }
            return all
        }

        // Every other message is sent while the stalled call is still held by the stub.
        var seen: [String: String] = [:]
        #expect(try await Poll.until(interval: .milliseconds(50)) {
            seen = try await statuses()
            return seen.count == 61 && seen.filter { $0.key != "+15005550008" }.values.allSatisfy { $0 == "sent" || $0 == "delivered" }
        }, "\(seen)")
        let held = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/held"])
        #expect(held.stdout.contains(#""held": 1"#), "\(held.stdout)")
        #expect(try await statuses()["+15005550008"] == "sending")

        // Released without an answer after the request was read: it may have gone out, so review, not retry.
        _ = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/release"])
        #expect(try await Poll.until(interval: .milliseconds(50)) { try await statuses()["+15005550008"] == "review" })
        let requests = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/requests"])
        let received = try JSONValue(jsonBytes: Array(requests.stdout.utf8)).arrayValue ?? []
        #expect(received.count == 61, "each message reached the provider once")
        #expect(received.allSatisfy { $0["problems"]?.arrayValue?.isEmpty == true }, "\(requests.stdout.prefix(2000))")
    }
}

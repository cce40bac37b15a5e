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

    /// A large campaign waits behind its own workspace's rate limit, not in front of another workspace's
    /// message. The host's clock stands still: the campaign's burst goes, the rest waits for slots that
    /// never come, and the other workspace's message, due after all of it, is sent anyway.
    @Test func aLargeCampaignDoesNotHoldUpAnotherWorkspace() async throws {
        let clock = MessagingTests.manualClock()
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging(["SMS_RATE_PER_WORKSPACE": "50", "SMS_RATE_PER_USER": "50"]) { $1 },
                                          clock: clock)
        defer { Task { await api.stop() } }
        let big = try await messaging.owner(api, "campaign@example.com", number: "+15550001201")
        let small = try await messaging.owner(api, "single@example.com", number: "+15550001202")
        var csv = "name,phone\n"
        for i in 0..<1000 { csv += "Person \(i),+1415\(3_000_000 + i)\n" }
        let imported = try await api.call("POST", "/api/v1/contacts/imports", raw: csv, token: big, headers: ["content-type": "text/csv"])
        let importID = try #require(imported.string("id"), "\(imported.body)")
        _ = try await Poll.until(interval: .milliseconds(20)) {
            let report = try await api.call("GET", "/api/v1/contacts/imports/\(importID)", token: big)
            return report.status == 200 && report.string("status") != "running"
        }
        let everyone = try #require(try await api.call("POST", "/api/v1/groups", json: ["name": "Everyone"], token: big).string("id"))
        _ = try await api.call("POST", "/api/v1/contacts/bulk", json: [
            "action": "add_to_group", "group_id": .string(everyone), "filter": ["source": "import"],
        ], token: big)
        let campaign = try await api.call("POST", "/api/v1/messages", json: ["group_id": .string(everyone), "body": "Sale!"], token: big)
        #expect(campaign["scheduled"] == 1000, "\(campaign.body)")
        let other = try await messaging.contact(api, small, "+14155550199")
        let single = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(other), "body": "Your code"], token: small)
        let id = try #require(single["ids"]?.arrayValue?.first?.stringValue, "\(single.body)")
        _ = try await messaging.wait(api, small, id) { $0.string("status") == "sent" }

        // The campaign sent its burst (50, the bucket's depth) and no more: its other 950 wait for the clock.
        var sent = 0
        #expect(try await Poll.until(interval: .milliseconds(20)) {
            sent = try await api.call("GET", "/api/v1/messages/stats", token: big)["counts"]?["by_status"]?["sent"]?.numberValue.map(Int.init) ?? -1
            return sent == 50
        }, "campaign sent \(sent)")
    }

    /// curl re-sends a request whose reused keep-alive connection died without an answer — up to five
    /// times, after the provider may have acted on it. A Twilio send is never re-sent: it goes to review,
    /// having reached the provider once.
    @Test func aConnectionThatDiesUnderASendIsNotResent() async throws {
        let sid = "AC" + String(repeating: "f6", count: 16)
        let stub = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/twilio_stub.py", sid, "token-f", "--drop", "+14155550777"])
        defer { stub.stop() }
        let port = try await stub.waitFor(#"PORT (\d+)"#)
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging(["TWILIO_API_BASE": "http://127.0.0.1:\(port)"]) { $1 })
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("dropped@example.com").string("access_token"))
        _ = try await api.call("PUT", "/api/v1/sms/settings", json: [
            "provider": "twilio", "account_sid": .string(sid), "auth_token": "token-f", "from_number": "+15550004444",
        ], token: token)
        // A first send leaves a keep-alive connection for the second to reuse.
        for (phone, status) in [("+14155550776", "sent"), ("+14155550777", "review")] {
            let contact = try await messaging.contact(api, token, phone)
            let scheduled = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contact), "body": "Hi"], token: token)
            let id = try #require(scheduled["ids"]?.arrayValue?.first?.stringValue, "\(scheduled.body)")
            let message = try await messaging.wait(api, token, id) { $0.string("status") == status }
            #expect(message.string("status") == status, "\(message.body)")
        }
        let requests = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/requests"])
        let received = try JSONValue(jsonBytes: Array(requests.stdout.utf8)).arrayValue ?? []
        #expect(received.filter { ($0["fields"]?.arrayValue ?? []).contains(["To", "+14155550777"]) }.count == 1, "\(requests.stdout)")
    }

    /// A host still holding claimed sends (its only slot held by a stalled call) while they are taken over
    /// calls none of them: each send is called only while its claim is still this host's and of the same
    /// version. Three are taken by another host (which settled them, taking this one for stopped, and
    /// claimed them itself); two were settled and claimed again by this host (a second claim of its own,
    /// which the first must not send as well).
    @Test func sendsWhoseClaimAnotherHostTookAreNotCalled() async throws {
        let sid = "AC" + String(repeating: "a7", count: 16)
        let stub = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/twilio_stub.py", sid, "token-g"])
        defer { stub.stop() }
        let port = try await stub.waitFor(#"PORT (\d+)"#)
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging([
            "TWILIO_API_BASE": "http://127.0.0.1:\(port)", "TWILIO_TIMEOUT_MS": "600000", "SMS_MAX_IN_FLIGHT_PER_ACCOUNT": "1",
            // No heartbeat during the test: it would settle the other host's claims (on SQLite, any claim
            // not this host's is a stopped host's).
            "DELIVERY_HOST_LEASE_SECONDS": "3000",
        ]) { $1 })
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("taken@example.com").string("access_token"))
        _ = try await api.call("PUT", "/api/v1/sms/settings", json: [
            "provider": "twilio", "account_sid": .string(sid), "auth_token": "token-g", "from_number": "+15550004445",
        ], token: token)
        func schedule(_ phones: [String]) async throws -> [String] {
            var contacts: [String] = []
            for phone in phones { contacts.append(try await messaging.contact(api, token, phone)) }
            let scheduled = try await api.call("POST", "/api/v1/messages", json: ["contact_ids": .array(contacts.map(JSONValue.string)), "body": "Hi"],
                                               token: token)
            let ids = scheduled["ids"]?.arrayValue?.compactMap { $0.stringValue } ?? []
            #expect(ids.count == phones.count, "\(scheduled.body)")
            return ids
        }
        // The stalled call takes the account's one slot; the five after it are claimed and wait for it.
        let stalled = try await schedule(["+15005550008"])[0]
        #expect(try await Poll.until(interval: .milliseconds(50)) {
            try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/held"]).stdout.contains(#""held": 1"#)
        })
        let waiting = try await schedule((0..<5).map { "+1415555060\($0)" })
        let database = try await api.database("api")
        let ids = String(decoding: JSONValue.array(waiting.map(JSONValue.string)).jsonBytes, as: UTF8.self)
        #expect(try await Poll.until(interval: .milliseconds(50)) {
            try await database.prepare("SELECT count(*) AS n FROM messages WHERE id IN (SELECT value FROM \(database.dialect.elements())) AND status = 'sending'")
                .bind(ids).first()?.integer("n") == 5
        })
        // Claimed again, as a settle and a new claim would leave them.
        let own = try #require(try await database.prepare("SELECT claimed_by FROM messages WHERE id = ?").bind(waiting[0]).first()?.text("claimed_by"))
        let others = String(decoding: JSONValue.array(waiting.prefix(3).map(JSONValue.string)).jsonBytes, as: UTF8.self)
        let taken = try await database.prepare("""
            UPDATE messages SET claimed_by = CASE WHEN id IN (SELECT value FROM \(database.dialect.elements())) THEN 'host_other' ELSE claimed_by END, version = version + 1
            WHERE id IN (SELECT value FROM \(database.dialect.elements())) AND dispatched = 0
            """).bind(others, ids).run()
        #expect(taken.changes == 5)

        _ = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/release"])
        _ = try await messaging.wait(api, token, stalled) { $0.string("status") == "review" }
        // The five go through the freed slot, each lost claim freeing it for the next.
        let lost = #"sms_deliveries_total{provider="twilio",result="claim_lost",worker="api"} 5"#
        #expect(try await Poll.until(interval: .milliseconds(50)) { await api.host.metrics.exposition().contains(lost) })
        let requests = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/requests"])
        let received = try JSONValue(jsonBytes: Array(requests.stdout.utf8)).arrayValue ?? []
        #expect(received.count == 1, "only the stalled send reached the provider: \(requests.stdout)")
        var left: [String] = []
        for id in waiting {
            let row = try await database.prepare("SELECT status, dispatched, claimed_by FROM messages WHERE id = ?").bind(id).first()
            left.append("\(row?.text("status") ?? "") \(row?.integer("dispatched") ?? -1) \(row?.text("claimed_by") == own ? "own" : row?.text("claimed_by") ?? "")")
        }
        // This host's later claims are marked dispatched by the turn that dropped the earlier ones: a crash now
        // would send them to review, never twice.
        #expect(left == Array(repeating: "sending 0 host_other", count: 3) + Array(repeating: "sending 1 own", count: 2),
                "left to the claims that took them")
    }

    /// A host that stopped left two claims: one never dispatched, one dispatched. The next start settles
    /// them: the first is sent again, its timeline showing the attempt that was not made; the second waits
    /// in review, its attempt's outcome unknown.
    @Test func aRestartSettlesAStoppedHostsClaimsWithTheirAttempts() async throws {
        let first = try await APIHost.start(vars: MessagingTests.fastVars)
        let token = try await messaging.owner(first)
        var ids: [String] = []
        for phone in ["+14155550901", "+14155550902"] {
            let contact = try await messaging.contact(first, token, phone)
            let scheduled = try await first.call("POST", "/api/v1/messages", json: [
                "contact_id": .string(contact), "body": "Hi", "scheduled_at": .string(MessagingTests.iso(Date().addingTimeInterval(86_400))),
            ], token: token)
            ids.append(try #require(scheduled["ids"]?.arrayValue?.first?.stringValue, "\(scheduled.body)"))
        }
        await first.stop(keepData: true)
        // As a host killed mid-send leaves them: claimed, one of them marked dispatched, both due now.
        let database = try await first.database("api")
        for (id, dispatched) in zip(ids, [0, 1]) {
            try await database.prepare("""
                UPDATE messages SET status = 'sending', dispatched = ?, attempts = 1, provider = 'simulated', claimed_by = 'host_gone', due_ms = 0
                WHERE id = ?
                """).bind(dispatched, id).run()
        }

        let second = try await APIHost.start(vars: MessagingTests.fastVars, dataDirectory: first.dataDirectory)
        defer { Task { await second.stop() } }
        let again = try await messaging.wait(second, token, ids[0]) { $0.string("status") == "sent" || $0.string("status") == "delivered" }
        let attempts = again["timeline"]?.arrayValue?.filter { $0["kind"] == "attempt" }.compactMap { $0["result"]?.stringValue }
        #expect(attempts == ["not_sent", "accepted"], "\(again.body)")
        #expect(again["attempts"] == 1, "the attempt not made is not counted")
        let review = try await messaging.wait(second, token, ids[1]) { $0.string("status") == "review" }
        let timeline = review["timeline"]?.arrayValue ?? []
        #expect(timeline.filter { $0["kind"] == "attempt" }.compactMap { $0["result"]?.stringValue } == ["unknown"], "\(review.body)")
        #expect(timeline.last?["result"] == "review", "\(review.body)")
        let log = (try? String(contentsOfFile: second.dataDirectory + "/api/simulated-sms.log", encoding: .utf8)) ?? ""
        #expect(log.contains(ids[0]) && !log.contains(ids[1]), "the dispatched one is not sent again: \(log)")
    }

    /// A send whose answer comes late: meanwhile another host, taking this one for stopped, settled the
    /// dispatched send to review. The answer, when it comes, is still this host's claim's: the message is
    /// sent, with the provider's id, not left in review for a person to send again.
    @Test func aLateAcceptanceMovesASendOnFromReview() async throws {
        let sid = "AC" + String(repeating: "b8", count: 16)
        let stub = try ChildProcess("/usr/bin/python3", [MessagingTests.clients + "/twilio_stub.py", sid, "token-h", "--hold", "+14155550950"])
        defer { stub.stop() }
        let port = try await stub.waitFor(#"PORT (\d+)"#)
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging([
            "TWILIO_API_BASE": "http://127.0.0.1:\(port)", "TWILIO_TIMEOUT_MS": "600000", "DELIVERY_HOST_LEASE_SECONDS": "3000",
        ]) { $1 })
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("late@example.com").string("access_token"))
        _ = try await api.call("PUT", "/api/v1/sms/settings", json: [
            "provider": "twilio", "account_sid": .string(sid), "auth_token": "token-h", "from_number": "+15550004446",
        ], token: token)
        let contact = try await messaging.contact(api, token, "+14155550950")
        let scheduled = try await api.call("POST", "/api/v1/messages", json: ["contact_id": .string(contact), "body": "Hi"], token: token)
        let id = try #require(scheduled["ids"]?.arrayValue?.first?.stringValue, "\(scheduled.body)")
        #expect(try await Poll.until(interval: .milliseconds(50)) {
            try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/held"]).stdout.contains(#""held": 1"#)
        })
        let database = try await api.database("api")
        let settled = try await database.prepare("UPDATE messages SET status = 'review' WHERE id = ? AND status = 'sending' AND dispatched = 1")
            .bind(id).run()
        #expect(settled.changes == 1, "the call was dispatched, so a settle sends it to review")

        _ = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/release"])
        let sent = try await messaging.wait(api, token, id) { $0.string("status") == "sent" || $0.string("status") == "delivered" }
        #expect(sent.string("provider_message_id")?.hasPrefix("SM") == true, "\(sent.body)")
        let requests = try await Subprocess.curl(["-s", "http://127.0.0.1:\(port)/requests"])
        #expect((try JSONValue(jsonBytes: Array(requests.stdout.utf8)).arrayValue ?? []).count == 1, "\(requests.stdout)")
    }
}

import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The call center over calls that really happened (simulated ones, played through the agent): each ended
/// call is priced and reviewed, the history's filters and its CSV export agree with the calls, people
/// classify, rate and correct, and the dashboard's totals follow every change.
@Suite struct CallCenterTests {
    static func playCall(_ host: WorkerTestHost, token: String, numberID: String, to: String, script: [String]) async throws -> TestResponse {
        let placed = try await host.call("POST", "/api/v1/calls", json: ["number_id": .string(numberID), "to": .string(to),
                                                                         "script": .array(script.map { .string($0) })], token: token)
        #expect(placed.status == 201, "\(placed.body)")
        let id = try #require(placed.string("id"))
        var call = placed
        // Patience, not speed: on two starved cores a simulated call, its review and price take a while.
        let done = try await Poll.until(timeout: .seconds(300)) {
            call = try await host.call("GET", "/api/v1/calls/\(id)", token: token)
            return call.string("review_status") == "done" && call.json["price"] != .null
        }
        #expect(done, "\(call.body)")
        return call
    }

    @Test func endedCallsArePricedReviewedFilteredExportedAndCounted() async throws {
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("desk@example.com").string("access_token"))
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Desk", "review_rubric": "Open from nine to five.",
            "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five."]],
        ], token: token)
        let numberID = try #require(number.string("id"), "\(number.body)")

        let first = try await Self.playCall(host, token: token, numberID: numberID, to: "+12025550143",
                                            script: ["Hello?", "What are your opening hours?", "Thank you, goodbye"])
        let second = try await Self.playCall(host, token: token, numberID: numberID, to: "+12025550144",
                                             script: ["Hello?", "I want to complain, my invoice is wrong"])
        for call in [first, second] {
            // The simulated provider charges $0.014 a started minute.
            let minutes = (((call.json["duration_seconds"]?.numberValue ?? 0) + 59) / 60).rounded(.down)
            #expect(call.json["price"]?.numberValue == (minutes * 14_000).rounded() / 1_000_000 && call.string("price_unit") == "USD", "\(call.body)")
            let review = try #require(call.json["review"], "\(call.body)")
            #expect(review["model"] == "offline" && review["rubric"] == "Open from nine to five.", "\(review)")
            #expect(call.string("classification") == review["classification"]?.stringValue && call.string("classified_by") == "review")
            #expect((0...100).contains(Int(review["score"]?.numberValue ?? -1)) && review["success"]?.boolValue != nil, "\(review)")
        }
        #expect(first.json["review"]?["success"] == true, "the agent told the opening hours: \(first.body)")
        #expect(second.json["review"]?["success"] == false, "no opening hours on the second call: \(second.body)")
        let (a, b) = (try #require(first.string("id")), try #require(second.string("id")))

        // Filters agree with the calls; the CSV export with the list.
        func ids(_ query: String) async throws -> [String] {
            let page = try await host.call("GET", "/api/v1/calls?\(query)", token: token)
            #expect(page.status == 200, "\(query): \(page.body)")
            return page.data.compactMap { $0["id"]?.stringValue }
        }
        #expect(try await ids("") == [b, a])
        #expect(try await ids("limit=1").count == 1)
        #expect(try await ids("status=completed&direction=outbound&number_id=\(numberID)") == [b, a])
        #expect(try await ids("direction=inbound").isEmpty)
        #expect(try await ids("has_recording=false") == [b, a], "the number does not record")
        #expect(try await ids("has_recording=true").isEmpty)
        #expect(try await ids("min_duration=86400").isEmpty)
        #expect(try await ids("since=2999-01-01T00:00:00Z").isEmpty)
        #expect(try await ids("until=2999-01-01T00:00:00Z&min_duration=0") == [b, a])
        #expect(try await ids("classification=\(try #require(second.string("classification")))").contains(b))
        let page1 = try await host.call("GET", "/api/v1/calls?limit=1", token: token)
        let cursor = try #require(page1.json["next_cursor"]?.stringValue, "\(page1.body)")
        #expect(try await ids("limit=1&cursor=\(cursor)") == [a])
        for (query, field) in [("rating=9", "rating"), ("classification=gossip", "classification"), ("has_recording=maybe", "has_recording"),
                               ("since=yesterday", "since")] {
            let refused = try await host.call("GET", "/api/v1/calls?\(query)", token: token)
            #expect(refused.status == 422 && refused.json["error"]?["details"]?["field"]?.stringValue == field, "\(query): \(refused.body)")
        }
        let csv = try await host.call("GET", "/api/v1/calls.csv?direction=outbound", token: token)
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let rows = csv.body.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?.prefix(3) == ["id", "started_at", "direction"], "\(csv.body)")
        #expect(rows.dropFirst().map { $0[0] } == [b, a], "\(csv.body)")
        #expect(rows.dropFirst().allSatisfy { $0[5] == "completed" && $0[2] == "outbound" })

        // The dashboard counts both; a person's class moves the count, and a re-run of the review leaves it.
        var stats = try await host.call("GET", "/api/v1/calls/stats", token: token)
        #expect(stats.status == 200, "\(stats.body)")
        #expect(stats.json["totals"]?["calls"] == 2 && stats.json["totals"]?["completed"] == 2 && stats.json["totals"]?["failed"] == 0, "\(stats.body)")
        #expect(stats.json["totals"]?["completed_rate"] == 1 && stats.json["totals"]?["live"] == 0, "\(stats.body)")
        let cost = (first.json["price"]?.numberValue ?? 0) + (second.json["price"]?.numberValue ?? 0)
        #expect(abs((stats.json["totals"]?["cost"]?.numberValue ?? -1) - cost) < 0.000001, "\(stats.body)")
        #expect(stats.json["days"]?.arrayValue?.count == 30 && stats.json["days"]?.arrayValue?.last?["calls"] == 2, "\(stats.body)")
        let judged = try await host.call("PATCH", "/api/v1/calls/\(a)", json: ["classification": "appointment", "rating": 4], token: token)
        #expect(judged.status == 200 && judged.string("classification") == "appointment" && judged.json["rating"] == 4, "\(judged.body)")
        #expect(judged.string("classified_by") != "review")
        #expect(try await ids("rating=4") == [a])
        #expect(try await ids("classification=appointment") == [a])
        stats = try await host.call("GET", "/api/v1/calls/stats", token: token)
        #expect(stats.json["by_classification"]?["appointment"] == 1, "\(stats.body)")
        #expect(stats.json["by_classification"]?.objectValue?.values.compactMap(\.numberValue).reduce(0, +) == 2, "\(stats.body)")

        let corrected = try await host.call("PATCH", "/api/v1/calls/\(a)/review", json: ["success": false, "summary": "Asked the hours."], token: token)
        #expect(corrected.status == 200 && corrected.json["success"] == false && corrected.json["summary"] == "Asked the hours.", "\(corrected.body)")
        #expect(corrected.json["as_reviewed"]?["success"] == true, "\(corrected.body)")
        let rerun = try await host.call("POST", "/api/v1/calls/\(a)/review", token: token)
        #expect(rerun.status == 202 && rerun.string("review_status") == "pending", "\(rerun.body)")
        var again = rerun
        #expect(try await Poll.until(timeout: .seconds(300)) {
            again = try await host.call("GET", "/api/v1/calls/\(a)", token: token)
            return again.string("review_status") == "done"
        }, "\(again.body)")
        #expect(again.string("classification") == "appointment" && again.json["review"]?["success"] == false, "\(again.body)")
        #expect(again.json["review"]?["summary"] == "Asked the hours.", "\(again.body)")

        for (method, path, body, status, field) in [
            ("PATCH", "/api/v1/calls/\(a)", ["rating": 6], 422, "rating"),
            ("PATCH", "/api/v1/calls/\(a)", ["classification": "gossip"], 422, "classification"),
            ("PATCH", "/api/v1/calls/\(a)", [:], 422, nil),
            ("PATCH", "/api/v1/calls/call_nope", ["rating": 3], 404, nil),
            ("PATCH", "/api/v1/calls/\(a)/review", ["score": 101], 422, "score"),
            ("POST", "/api/v1/calls/call_nope/review", nil, 404, nil),
        ] as [(String, String, JSONValue?, Int, String?)] {
            let refused = try await host.call(method, path, json: body, token: token)
            #expect(refused.status == status, "\(method) \(path) \(String(describing: body)): \(refused.body)")
            if let field { #expect(refused.json["error"]?["details"]?["field"]?.stringValue == field, "\(refused.body)") }
        }

        // The live stream told the team.
        let numberEvent = try await host.database("api", of: "api").prepare("SELECT seq FROM workspace_events WHERE type = 'voice_number.created'").first()?.integer("seq")
        let stream = try await host.call("GET", "/api/v1/stream?last_event_id=\(try #require(numberEvent))", token: token, maxSeconds: 1)
        for type in ["call.priced", "call.reviewed", "call.judged", "call.review_corrected"] {
            #expect(stream.body.contains("event: \(type)\n"), "\(type) in \(stream.body.suffix(2_000))")
        }
    }

    @Test func aTwilioCallsPriceIsFetchedOnceTwilioHasOne() async throws {
        let sid = "AC" + String(repeating: "e5", count: 16)
        let stub = try await StubServer("twilio_stub.py", [sid, "price-secret"])
        // Queue delays follow this clock: the lookup Twilio has not priced yet is asked again when the test says.
        let clock = ManualClock(milliseconds: 1_900_000_000_000)
        let api = try await APIHost.start(vars: ["TWILIO_API_BASE": stub.base], clock: clock)
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("price@example.com").string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(sid), "auth_token": "price-secret",
                                                                      "from_number": "+12025550100"], token: token).status == 200)
        let number = try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"], token: token)
        let placed = try await api.call("POST", "/api/v1/calls", json: ["number_id": .string(try #require(number.string("id"))), "to": "+14155550142"],
                                        token: token)
        let (id, callSid) = (try #require(placed.string("id"), "\(placed.body)"), try #require(placed.string("call_sid")))

        // Twilio reports the end; its status callback has no price.
        let ended = try await VoiceNumberTests.twilio(api, "/voice/status-callback", [
            ("CallSid", callSid), ("AccountSid", sid), ("CallStatus", "completed"), ("CallDuration", "75"), ("SequenceNumber", "4"),
        ], token: "price-secret")
        #expect(ended.status == 204, "\(ended.body)")
        func lookups() async throws -> [[String: Any]] { try await stub.requests().filter { $0["kind"] as? String == "lookup" } }
        #expect(try await Poll.until(timeout: .seconds(300)) { try await lookups().count == 1 })
        var call = try await api.call("GET", "/api/v1/calls/\(id)", token: token)
        #expect(call.json["price"] == .null && call.string("status") == "completed", "\(call.body)")
        // Nobody answered through the agent: there is nothing to review.
        #expect(call.json["review_status"] == .null, "\(call.body)")

        // The job asks again a minute after the unpriced answer. The clock moves a minute at each look: the
        // retry's time is reckoned when the job settles, which may come after the stub saw the lookup. An API
        // key looks, as an access token would expire in the hours this may move the clock.
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "price"], token: token).string("key"))
        #expect(try await Poll.until(timeout: .seconds(300), interval: .milliseconds(200)) {
            clock.advance(byMilliseconds: 61_000)
            call = try await api.call("GET", "/api/v1/calls/\(id)", token: key)
            return call.json["price"] != .null
        }, "\(call.body)")
        #expect(call.json["price"] == 0.028 && call.string("price_unit") == "USD", "\(call.body)")
        let asked = try await lookups()
        #expect(asked.count == 2 && asked.allSatisfy { ($0["problems"] as? [Any])?.isEmpty == true }, "\(asked)")
        #expect(asked.first?["path"] as? String == "/2010-04-01/Accounts/\(sid)/Calls/\(callSid).json")
        let stats = try await api.call("GET", "/api/v1/calls/stats?since=2030-03-01&until=2030-04-30", token: key)
        #expect(stats.json["totals"]?["cost"] == 0.028 && stats.json["totals"]?["calls"] == 1, "\(stats.body)")
    }
}

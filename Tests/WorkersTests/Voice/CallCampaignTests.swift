import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Outbound call campaigns against a local Twilio stub, as Twilio would see them: a 200-contact campaign
/// keeps to its calls per second (checked on the stub's own timestamps), calls nobody outside the calling
/// window of their own time zone, calls again after busy once the retry delay has passed, and finishes;
/// the API refuses what it cannot do, naming the field or the state.
@Suite struct CallCampaignTests {
    /// A zone whose clock reads `hour` now, a whole number of hours from UTC (its minutes are UTC's).
    static func zone(localHour hour: Int, at date: Date) -> String? {
        TimeZone.knownTimeZoneIdentifiers.sorted().first { name in
            guard let zone = TimeZone(identifier: name) else { return false }
            let offset = zone.secondsFromGMT(for: date)
            guard offset % 3_600 == 0 else { return false }
            let local = Int(date.timeIntervalSince1970) + offset
            return ((local / 3_600) % 24 + 24) % 24 == hour
        }
    }

    @Test func twoHundredContactsAreCalledAtTheirPaceInTheirWindowsAndTheCampaignFinishes() async throws {
        let sid = "AC" + String(repeating: "c3", count: 16), secret = "campaign-secret"
        let stub = try await StubServer("twilio_stub.py", [sid, secret])
        let api = try await APIHost.start(vars: ["TWILIO_API_BASE": stub.base])
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("call-campaigns@example.com").string("access_token"))
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "campaigns"], token: token).string("key"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "twilio", "account_sid": .string(sid), "auth_token": .string(secret),
                                                                      "from_number": "+12025550100"], token: key).status == 200)
        let numberID = try #require(try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Reminders"],
                                                       token: key).string("id"))

        // 200 contacts in a group: 150 in the window's own zone, where it is 12:xx now (open); 50 in a zone
        // where it is 10:xx, and the window opens at the next minute there.
        let now = Date()
        let open = try #require(Self.zone(localHour: 12, at: now)), later = try #require(Self.zone(localHour: 10, at: now))
        let group = try #require(try await api.call("POST", "/api/v1/groups", json: ["name": "Reminders"], token: key).string("id"))
        var phones: [String] = [], contactIDs: [JSONValue] = []
        for i in 0..<200 {
            let phone = "+1415555" + String(format: "%04d", 1_000 + i)
            var contact: [String: JSONValue] = ["first_name": .string("Caller\(i)"), "phone": .string(phone)]
            if i >= 150 { contact["custom_fields"] = ["time_zone": .string(later)] }
            let made = try await api.call("POST", "/api/v1/contacts", json: .object(contact), token: key)
            #expect(made.status == 201, "\(made.body)")
            phones.append(phone)
            contactIDs.append(.string(try #require(made.string("id"))))
        }
        let added = try await api.call("POST", "/api/v1/groups/\(group)/members", json: ["contact_ids": .array(contactIDs)], token: key)
        #expect(added.json["added"] == 200, "\(added.body)")
        let busyFirst = Set(phones.prefix(10)), laterPhones = Set(phones.suffix(50))

        let start = Date()
        let minute = Int(start.timeIntervalSince1970) / 60
        let opensAtMs = Int64(minute + 1) * 60_000
        let laterMinute = ((Int(start.timeIntervalSince1970) + TimeZone(identifier: later)!.secondsFromGMT(for: start)) / 60 + 1) % 1_440
        let opening = String(format: "%02d:%02d", laterMinute / 60, laterMinute % 60)
        let days = Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { ($0, JSONValue.array([[.string(opening), "24:00"]])) })
        let created = try await api.call("POST", "/api/v1/call-campaigns", json: [
            "name": "Reminders", "number_id": .string(numberID), "context": "Remind them of tomorrow's appointment.",
            "audience": ["type": "groups", "group_ids": [.string(group)]],
            "calling_window": ["time_zone": .string(open), "weekly": .object(days)],
            "calls_per_second": 5, "max_concurrent": 20, "max_attempts": 2, "retry_delay_seconds": 30,
        ], token: key)
        #expect(created.status == 201 && created.string("state") == "draft", "\(created.body)")
        let id = try #require(created.string("id"))
        let sent = try await api.call("POST", "/api/v1/call-campaigns/\(id)/send", token: key)
        #expect(sent.status == 200 && sent.string("state") == "running", "\(sent.body)")
        #expect(try await api.call("PATCH", "/api/v1/call-campaigns/\(id)", json: ["name": "Renamed"], token: key).status == 409, "a running campaign is fixed")

        // Twilio's part: each queued call ends, busy the first time for ten contacts, answered otherwise.
        var answered: [String: Int] = [:]
        var campaign = sent
        let finished = try await Poll.until(timeout: .seconds(600), interval: .milliseconds(200)) {
            for call in try await api.call("GET", "/api/v1/calls?status=queued&limit=100", token: key).data {
                guard let callSid = call["call_sid"]?.stringValue, let to = call["to"]?.stringValue else { continue }
                let first = answered[to, default: 0] == 0
                answered[to, default: 0] += 1
                let fields: [(String, String)] = busyFirst.contains(to) && first
                    ? [("CallStatus", "busy"), ("SequenceNumber", "1")] : [("CallStatus", "completed"), ("CallDuration", "20"), ("SequenceNumber", "3")]
                let ended = try await VoiceNumberTests.twilio(api, "/voice/status-callback", [("CallSid", callSid), ("AccountSid", sid)] + fields, token: secret)
                #expect(ended.status == 204, "\(ended.body)")
            }
            campaign = try await api.call("GET", "/api/v1/call-campaigns/\(id)", token: key)
            return campaign.string("state") == "finished"
        }
        #expect(finished, "\(campaign.body)")
        let stats = try #require(campaign.json["stats"])
        #expect(stats["targets"] == 200 && stats["completed"] == 200 && stats["failed"] == 0 && stats["calls"] == 210, "\(stats)")

        // The stub's own clock: never more than five calls in a second; the later zone not before its window.
        let placed = try await stub.requests().filter { $0["kind"] as? String == "call" }
        #expect(placed.count == 210 && placed.allSatisfy { ($0["problems"] as? [Any])?.isEmpty == true }, "\(placed.count) calls")
        let calls: [(to: String, at: Int64)] = placed.compactMap { request in
            let fields = (request["fields"] as? [[String]]) ?? []
            guard let to = fields.first(where: { $0.first == "To" })?.last, let at = (request["at_ms"] as? NSNumber)?.int64Value else { return nil }
            return (to, at)
        }.sorted { $0.at < $1.at }
        let busiest = calls.indices.map { i in calls[i...].prefix { $0.at < calls[i].at + 1_000 }.count }.max() ?? 0
        #expect(busiest <= 5, "at most five calls in any second: \(busiest)")
        let laterCalls = calls.filter { laterPhones.contains($0.to) }
        #expect(laterCalls.count == 50 && laterCalls.allSatisfy { $0.at >= opensAtMs }, "first later-zone call \(laterCalls.first?.at ?? 0) vs opening \(opensAtMs)")
        for phone in busyFirst {
            let times = calls.filter { $0.to == phone }.map(\.at)
            #expect(times.count == 2 && times[1] - times[0] >= 30_000, "\(phone) called again after the delay: \(times)")
        }
        var targets: [JSONValue] = [], cursor: String?
        repeat {
            let page = try await api.call("GET", "/api/v1/call-campaigns/\(id)/targets?status=completed" + (cursor.map { "&cursor=\($0)" } ?? ""), token: key)
            #expect(page.status == 200, "\(page.body)")
            targets += page.data
            cursor = page.json["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(targets.count == 200 && targets.filter { $0["attempts"] == 2 }.count == 10, "\(targets.count) targets")
        #expect(targets.filter { $0["time_zone"] == .string(later) }.count == 50)
    }

    @Test func aSimulatedCampaignTellsTheAgentEachContactsOwnContext() async throws {
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let token = try #require(try await host.signUp("campaign-contexts@example.com").string("access_token"))
        let numberID = try #require(try await host.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"],
                                                        token: token).string("id"))
        for (name, phone) in [("Ada", "+12025550143"), ("Grace", "+12025550144")] {
            #expect(try await host.call("POST", "/api/v1/contacts", json: ["first_name": .string(name), "phone": .string(phone)], token: token).status == 201)
        }
        let context = try #require(try await host.call("POST", "/api/v1/call-contexts", json: [
            "name": "Reminder", "template": "Remind {{first_name}} of the appointment with {{number_name}}.",
        ], token: token).string("id"))
        let always = Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { ($0, JSONValue.array([["00:00", "24:00"]])) })
        let created = try await host.call("POST", "/api/v1/call-campaigns", json: [
            "name": "Reminders", "number_id": .string(numberID), "context_id": .string(context), "audience": ["type": "all"],
            "calling_window": ["time_zone": "UTC", "weekly": .object(always)],
        ], token: token)
        let id = try #require(created.string("id"), "\(created.body)")
        #expect(try await host.call("POST", "/api/v1/call-campaigns/\(id)/send", token: token).status == 200)
        var campaign = created
        #expect(try await Poll.until(timeout: .seconds(300)) {
            campaign = try await host.call("GET", "/api/v1/call-campaigns/\(id)", token: token)
            return campaign.string("state") == "finished"
        }, "\(campaign.body)")
        #expect(campaign.json["stats"]?["completed"] == 2 && campaign.json["stats"]?["calls"] == 2, "\(campaign.body)")
        let calls = try await host.call("GET", "/api/v1/calls", token: token).data
        let told = Dictionary(calls.compactMap { call in call["to"]?.stringValue.map { ($0, call["context"]?["context"]?.stringValue ?? "") } },
                              uniquingKeysWith: { first, _ in first })
        #expect(told == ["+12025550143": "Remind Ada of the appointment with Desk.", "+12025550144": "Remind Grace of the appointment with Desk."], "\(told)")
    }

    @Test func theAPIRefusesWhatACampaignCannotBeOrDo() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("call-campaign-rules@example.com").string("access_token"))
        let numberID = try #require(try await api.call("POST", "/api/v1/voice/numbers", json: ["phone_number": "+12025550100", "name": "Desk"],
                                                       token: token).string("id"))
        let window: JSONValue = ["time_zone": "America/New_York", "weekly": ["mon": [["09:00", "17:00"]]]]
        let valid: [String: JSONValue] = ["name": "Reminders", "number_id": .string(numberID), "audience": ["type": "all"], "calling_window": window]
        for (change, field) in [
            (["number_id": "vnum_nope"], "number_id"), (["context_id": "cctx_nope"], "context_id"),
            (["calls_per_second": 11], "calls_per_second"), (["max_concurrent": 0], "max_concurrent"), (["max_attempts": 6], "max_attempts"),
            (["retry_delay_seconds": 5], "retry_delay_seconds"), (["calling_window": ["time_zone": "Mars/Olympus", "weekly": [:]]], "calling_window.time_zone"),
            (["calling_window": ["time_zone": "UTC", "weekly": [:]]], "calling_window.weekly"),
            (["calling_window": ["time_zone": "UTC", "weekly": ["mon": [["17:00", "09:00"]]]]], "calling_window.weekly.mon[0]"),
            (["audience": ["type": "groups"]], "audience.group_ids"),
        ] as [([String: JSONValue], String)] {
            let refused = try await api.call("POST", "/api/v1/call-campaigns", json: .object(valid.merging(change) { $1 }), token: token)
            #expect(refused.status == 422 && refused.json["error"]?["details"]?["field"]?.stringValue?.hasPrefix(field) == true, "\(change): \(refused.body)")
        }
        let both = try await api.call("POST", "/api/v1/call-campaigns", json: .object(valid.merging(["context": "Hi", "context_id": "cctx_x"]) { $1 }), token: token)
        #expect(both.status == 422, "\(both.body)")
        let created = try await api.call("POST", "/api/v1/call-campaigns", json: .object(valid), token: token)
        #expect(created.status == 201 && created.json["stats"]?["targets"] == 0 && created.json["calls_per_second"] == 1, "\(created.body)")
        let id = try #require(created.string("id"))
        let schedule = try await api.call("POST", "/api/v1/call-campaigns/\(id)/schedule", token: token)
        #expect(schedule.status == 409 && schedule.json["error"]?["details"]?["field"] == "send_at", "\(schedule.body)")
        #expect(try await api.call("POST", "/api/v1/call-campaigns/\(id)/pause", token: token).status == 409)
        let patched = try await api.call("PATCH", "/api/v1/call-campaigns/\(id)", json: ["send_at": "2099-01-01T09:00:00Z", "calls_per_second": 2], token: token)
        #expect(patched.status == 200 && patched.json["calls_per_second"] == 2, "\(patched.body)")
        let unnamed = try await api.call("PATCH", "/api/v1/call-campaigns/\(id)", json: ["name": ""], token: token)
        #expect(unnamed.status == 422 && unnamed.json["error"]?["details"]?["field"] == "name", "\(unnamed.body)")
        let scheduled = try await api.call("POST", "/api/v1/call-campaigns/\(id)/schedule", token: token)
        #expect(scheduled.status == 200 && scheduled.string("state") == "scheduled", "\(scheduled.body)")
        #expect(try await api.call("DELETE", "/api/v1/call-campaigns/\(id)", token: token).status == 409, "cancel before deleting")
        #expect(try await api.call("POST", "/api/v1/call-campaigns/\(id)/cancel", token: token).string("state") == "cancelled")
        #expect(try await api.call("DELETE", "/api/v1/call-campaigns/\(id)", token: token).status == 204)
        #expect(try await api.call("GET", "/api/v1/call-campaigns/\(id)", token: token).status == 404)
        #expect(try await api.call("GET", "/api/v1/call-campaigns", token: token).data.isEmpty)
    }
}

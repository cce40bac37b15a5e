import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Recurring sends on a running host whose clock the test moves (the queue's timers follow it): each
/// occurrence goes out at its local time across a daylight-saving change, the next one is planned as the
/// one before goes out, a change reaches only what is not sent, stopping cancels what is pending.
@Suite struct SeriesTests {
    let studyBooks = StudyBookTests()

    /// A workspace with the simulated SMS provider and an API key, on a Monday (1 March 2027) at 12:00 UTC.
    func world(at start: String = "2027-03-01T12:00:00.000Z") async throws -> StudyBookTests.World {
        let clock = ManualClock(milliseconds: StudyBookTests.ms(start))
        let api = try await APIHost.start(vars: MessagingTests.fastVars.merging(EmailTests.vars) { sms, _ in sms }, clock: clock)
        let signup = try await api.signUp("choir@example.com")
        let owner = try #require(signup.string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "simulated", "from_number": "+15550007777"], token: owner).status == 200)
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "ws"], token: owner).string("key"))
        return StudyBookTests.World(api: api, clock: clock, adminKey: "", key: key, workspace: signup.string("user", "personal_workspace_id"))
    }

    func contact(_ w: StudyBookTests.World, _ name: String, _ phone: String, zone: String? = nil) async throws -> String {
        var fields: [String: JSONValue] = ["name": .string(name), "phone": .string(phone)]
        if let zone { fields["custom_fields"] = ["time_zone": .string(zone)] }
        return try #require(try await w.api.call("POST", "/api/v1/contacts", json: .object(fields), token: w.key).string("id"))
    }

    func series(_ w: StudyBookTests.World, _ id: String) async throws -> TestResponse {
        try await w.api.call("GET", "/api/v1/series/\(id)", token: w.key)
    }

    /// The occurrences as (scheduled_at, status), oldest first.
    func occurrences(_ response: TestResponse) -> [String] {
        (response["occurrences"]?.arrayValue ?? []).reversed().map { "\($0["scheduled_at"]?.stringValue ?? "") \($0["status"]?.stringValue ?? "")" }
    }

    @Test func aWeeklySMSKeepsNineOClockInNewYorkAcrossTheSpringChange() async throws {
        let w = try await world()
        let api = w.api
        defer { Task { await api.stop() } }
        let ada = try await contact(w, "Ada Lovelace", "+14155550501", zone: "America/New_York")
        let created = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(ada), "body": "Choir tonight at 7, {{first_name}}",
            "recurrence": ["frequency": "weekly", "weekdays": ["MO"], "time": "09:00", "count": 4],
        ], token: w.key)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(created.string("series_id"))
        #expect(created.string("scheduled_at") == "2027-03-01T14:00:00.000Z", "09:00 EST today, the contact's zone")
        var one = try await series(w, id)
        #expect(one["state"] == "active")
        #expect(one["recurrence"]?["time_zone"] == "America/New_York")
        #expect(one["recurrence"]?["rrule"] == "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
        #expect(occurrences(one) == ["2027-03-01T14:00:00.000Z pending"])

        // Each occurrence goes out at its instant; the next is planned as it goes.
        try await studyBooks.advance(w, to: "2027-03-01T13:59:59.000Z", expecting: 0)
        try await studyBooks.advance(w, to: "2027-03-01T14:00:00.000Z", expecting: 1)
        one = try await series(w, id)
        #expect(occurrences(one).last == "2027-03-08T14:00:00.000Z pending", "\(one.body)")
        #expect(one["next_at"] == "2027-03-08T14:00:00.000Z")
        try await studyBooks.advance(w, to: "2027-03-08T14:00:00.000Z", expecting: 2)
        // New York moves to EDT on Sunday 14 March: 09:00 local is now 13:00 UTC.
        #expect(occurrences(try await series(w, id)).last == "2027-03-15T13:00:00.000Z pending")
        try await studyBooks.advance(w, to: "2027-03-15T12:59:59.000Z", expecting: 2)
        try await studyBooks.advance(w, to: "2027-03-15T13:00:00.000Z", expecting: 3)
        one = try await series(w, id)
        let sent = (one["occurrences"]?.arrayValue ?? []).reversed().compactMap { $0["message_id"]?.stringValue }
        #expect(sent.count == 4)
        for (message, instant) in zip(sent, ["2027-03-01T14:00:00.000Z", "2027-03-08T14:00:00.000Z", "2027-03-15T13:00:00.000Z"]) {
            let answer = try await api.call("GET", "/api/v1/messages/\(message)", token: w.key)
            #expect(answer["sent_at"]?.stringValue == instant, "sent at the exact instant: \(answer.body)")
            #expect(answer["sent_text"] == "Choir tonight at 7, Ada")
        }

        // A change reaches only the pending occurrence: 10:00 local from now on, a new text.
        let changed = try await api.call("PATCH", "/api/v1/series/\(id)", json: ["recurrence": ["time": "10:00"], "body": "Choir moved to 8, {{first_name}}"],
                                         token: w.key)
        #expect(changed.status == 200, "\(changed.body)")
        #expect(changed["recurrence"]?["rrule"] == "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
        #expect(occurrences(changed).last == "2027-03-22T14:00:00.000Z pending")
        #expect(try await api.call("GET", "/api/v1/messages/\(sent[0])", token: w.key)["body"] == "Choir tonight at 7, {{first_name}}", "sent ones stay")
        try await studyBooks.advance(w, to: "2027-03-22T13:00:00.000Z", expecting: 3)
        try await studyBooks.advance(w, to: "2027-03-22T14:00:00.000Z", expecting: 4)
        #expect(try await api.call("GET", "/api/v1/messages/\(sent[3])", token: w.key)["sent_text"] == "Choir moved to 8, Ada")

        // Its count reached, it finishes with nothing pending.
        one = try await series(w, id)
        #expect(one["state"] == "finished", "\(one.body)")
        #expect(one["occurrences_planned"] == 4)
        #expect(one["next_at"] == nil)
        #expect(occurrences(one).allSatisfy { !$0.hasSuffix("pending") })
        let listed = try await api.call("GET", "/api/v1/series?state=finished", token: w.key)
        #expect(listed.data.map { $0["id"]?.stringValue } == [id])

        // A larger count goes on from the next Monday; a smaller one again cancels what is pending.
        let more = try await api.call("PATCH", "/api/v1/series/\(id)", json: ["recurrence": ["count": 5]], token: w.key)
        #expect(more["state"] == "active", "\(more.body)")
        #expect(occurrences(more).last == "2027-03-29T14:00:00.000Z pending")
        let fewer = try await api.call("PATCH", "/api/v1/series/\(id)", json: ["recurrence": ["count": 4]], token: w.key)
        #expect(fewer["state"] == "finished", "\(fewer.body)")
        #expect(occurrences(fewer).last == "2027-03-29T14:00:00.000Z canceled")
        #expect(occurrences(fewer).count == 5)
    }

    /// Moves the clock to `iso` once the engine is done with the current instant, then waits until the
    /// email has gone out and the engine is done again; answers the email.
    func send(_ w: StudyBookTests.World, _ email: String, at iso: String) async throws -> TestResponse {
        #expect(try await studyBooks.settled(w))
        w.clock.set(milliseconds: StudyBookTests.ms(iso))
        var answer = try await w.api.call("GET", "/api/v1/emails/\(email)", token: w.key)
        _ = try await Poll.until(interval: .milliseconds(50)) {
            answer = try await w.api.call("GET", "/api/v1/emails/\(email)", token: w.key)
            return answer.string("sent_at") != nil
        }
        #expect(try await studyBooks.settled(w))
        return answer
    }

    @Test func aWeeklyEmailKeepsNineOClockInBerlinAcrossTheSpringChange() async throws {
        let w = try await world(at: "2027-03-22T12:00:00.000Z")
        let api = w.api
        defer { Task { await api.stop() } }
        let bea = try #require(try await api.call("POST", "/api/v1/contacts", json: [
            "name": "Bea Schmidt", "phone": "+14155550504", "email": "bea@example.com", "custom_fields": ["time_zone": "Europe/Berlin"],
        ], token: w.key).string("id"))
        let created = try await api.call("POST", "/api/v1/emails", json: [
            "contact_id": .string(bea), "from": .string(EmailTests.from), "subject": "Week ahead, {{first_name}}", "text": "Hello {{first_name}}",
            "recurrence": ["frequency": "weekly", "weekdays": ["MO"], "time": "09:00", "count": 3],
        ], token: w.key)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(created.string("series_id"), "\(created.body)")
        let first = try #require(created.string("id"))
        // Today's 09:00 in Berlin (08:00 UTC) has passed; on the 28th Berlin moves to CEST: 09:00 is 07:00 UTC.
        #expect(created.string("scheduled_at") == "2027-03-29T07:00:00.000Z")
        #expect(created.string("status") == "queued")

        let sent = try await send(w, first, at: "2027-03-29T07:00:00.000Z")
        #expect(sent.string("sent_at") == "2027-03-29T07:00:00.000Z", "\(sent.body)")
        #expect(sent.string("subject") == "Week ahead, Bea")
        let one = try await series(w, id)
        #expect(one["channel"] == "email")
        #expect(occurrences(one).last == "2027-04-05T07:00:00.000Z pending", "\(one.body)")
        let second = try #require(one["occurrences"]?.arrayValue?.first?["message_id"]?.stringValue)

        // A new subject reaches the pending email only.
        let changed = try await api.call("PATCH", "/api/v1/series/\(id)", json: ["subject": "Next week, {{first_name}}"], token: w.key)
        #expect(changed.status == 200, "\(changed.body)")
        let again = try await send(w, second, at: "2027-04-05T07:00:00.000Z")
        #expect(again.string("sent_at") == "2027-04-05T07:00:00.000Z")
        #expect(again.string("subject") == "Next week, Bea")
        #expect(again.string("series_id") == id)
        #expect(try await api.call("GET", "/api/v1/emails/\(first)", token: w.key).string("subject") == "Week ahead, Bea", "sent ones stay")
        #expect(try await api.call("PATCH", "/api/v1/series/\(id)", json: ["body": "SMS text"], token: w.key).string("error", "details", "field") == "body")
    }

    @Test func stoppingCancelsThePendingOccurrenceAndASweepRevivesACanceledOne() async throws {
        let w = try await world()
        let api = w.api
        defer { Task { await api.stop() } }
        let ben = try await contact(w, "Ben Jonson", "+14155550502")
        let noZone = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(ben), "body": "Daily", "recurrence": ["frequency": "daily", "time": "08:00"],
        ], token: w.key)
        // No zone in the rule, on the contact or in the request: UTC. (Stopped at once: the rest is about London.)
        let utc = try #require(noZone.string("series_id"), "\(noZone.body)")
        let zone = try await series(w, utc)["recurrence"]?["time_zone"]?.stringValue
        #expect(zone == "UTC" || zone == "GMT", "\(zone ?? "none")")
        #expect(try await api.call("POST", "/api/v1/series/\(utc)/stop", token: w.key)["state"] == "stopped")
        let created = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(ben), "body": "Daily reading", "time_zone": "Europe/London",
            "recurrence": ["frequency": "daily", "time": "08:00"],
        ], token: w.key)
        let id = try #require(created.string("series_id"), "\(created.body)")
        #expect(created.string("scheduled_at") == "2027-03-02T08:00:00.000Z", "today's 08:00 has passed in London")

        // The pending occurrence canceled by hand: the every-minute sweep plans the next one.
        let first = try #require(created["ids"]?.arrayValue?.first?.stringValue)
        #expect(try await api.call("DELETE", "/api/v1/messages/\(first)", token: w.key)["status"] == "canceled")
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let domain = try #require(worker.domains.compactMap { $0 as? RecurringDomain }.first)
        try await domain.maintain()
        #expect(occurrences(try await series(w, id)) == ["2027-03-02T08:00:00.000Z canceled", "2027-03-03T08:00:00.000Z pending"])
        try await domain.maintain()
        #expect(occurrences(try await series(w, id)).count == 2, "planned once")

        let stopped = try await api.call("POST", "/api/v1/series/\(id)/stop", token: w.key)
        #expect(stopped["state"] == "stopped", "\(stopped.body)")
        #expect(stopped["next_at"] == nil)
        #expect(occurrences(stopped) == ["2027-03-02T08:00:00.000Z canceled", "2027-03-03T08:00:00.000Z canceled"])
        try await studyBooks.advance(w, to: "2027-03-04T09:00:00.000Z", expecting: 0)
        #expect(try await api.call("POST", "/api/v1/series/\(id)/stop", token: w.key)["state"] == "stopped", "stopping twice changes nothing")
        let patch = try await api.call("PATCH", "/api/v1/series/\(id)", json: ["body": "Too late"], token: w.key)
        #expect(patch.status == 409)
        #expect(occurrences(try await series(w, id)).count == 2)
    }

    @Test func badRecurrencesAreRefusedByField() async throws {
        let w = try await world()
        let api = w.api
        defer { Task { await api.stop() } }
        let cy = try await contact(w, "Cy Twombly", "+14155550503", zone: "UTC")
        func field(_ body: JSONValue) async throws -> String? {
            let answer = try await api.call("POST", "/api/v1/messages", json: body, token: w.key)
            #expect(answer.status == 422, "\(answer.body)")
            return answer.string("error", "details", "field")
        }
        let rule: JSONValue = ["frequency": "weekly", "time": "09:00"]
        #expect(try await field(["contact_ids": [.string(cy)], "body": "x", "recurrence": rule]) == "contact_ids")
        #expect(try await field(["contact_id": .string(cy), "body": "x", "scheduled_at": "2027-03-02T09:00:00Z", "recurrence": rule]) == "scheduled_at")
        #expect(try await field(["contact_id": .string(cy), "body": "x", "recurrence": ["frequency": "weekly", "time": "9am"]]) == "recurrence.time")
        #expect(try await field(["contact_id": .string(cy), "body": "x", "recurrence": ["frequency": "monthly", "time": "09:00", "weekdays": ["MO"]]])
                == "recurrence.weekdays")
        #expect(try await field(["contact_id": .string(cy), "body": "x", "recurrence": ["frequency": "daily", "time": "09:00", "ends_on": "2027-02-01"]])
                == "recurrence.ends_on")
        #expect(try await api.call("GET", "/api/v1/series/ser_missing", token: w.key).status == 404)
        #expect(try await api.call("POST", "/api/v1/series/ser_missing/stop", token: w.key).status == 404)

        // A month of 31sts: the answer shows the RRULE a calendar reads the same way.
        let monthly = try await api.call("POST", "/api/v1/messages", json: [
            "contact_id": .string(cy), "body": "Rent is due", "recurrence": ["frequency": "monthly", "month_day": 31, "time": "09:00", "count": 12],
        ], token: w.key)
        #expect(monthly.string("scheduled_at") == "2027-03-31T09:00:00.000Z", "\(monthly.body)")
        let shown = try await series(w, try #require(monthly.string("series_id")))
        #expect(shown["recurrence"]?["rrule"] == "RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD;COUNT=12")
        #expect(shown["channel"] == "sms")
        let page = try await api.call("GET", "/api/v1/series?limit=1&channel=sms", token: w.key)
        #expect(page.data.count == 1)
    }
}

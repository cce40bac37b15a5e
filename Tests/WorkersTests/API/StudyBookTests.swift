import APIWorker
import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// Study books on a running host whose clock the test moves (days pass at once; the queue's timers
/// follow the clock): content by admins, enrolment in two time zones, pausing, deactivation, analytics.
@Suite struct StudyBookTests {
    static let start = SQLDate.parse("2027-03-01T12:00:00.000Z")!

    static func ms(_ iso: String) -> Int64 { Int64((SQLDate.parse(iso)!.timeIntervalSince1970 * 1000).rounded()) }

    struct World {
        let api: WorkerTestHost
        let clock: ManualClock
        let adminKey: String
        let key: String
        let workspace: String?
    }

    /// An admin (platform admin, API key) and a workspace (simulated sender, API key).
    func world() async throws -> World {
        let clock = ManualClock(milliseconds: Int64(Self.start.timeIntervalSince1970 * 1000))
        let api = try await APIHost.start(vars: MessagingTests.fastVars, clock: clock)
        let admin = try #require(try await api.signUp("curator@example.com").string("access_token"))
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        #expect(try await worker.grantPlatformAdmin(email: "curator@example.com"))
        let adminKey = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "admin"], token: admin).string("key"))
        let signup = try await api.signUp("church@example.com")
        let owner = try #require(signup.string("access_token"))
        #expect(try await api.call("PUT", "/api/v1/sms/settings", json: ["provider": "simulated", "from_number": "+15550007777"], token: owner).status == 200)
        let key = try #require(try await api.call("POST", "/api/v1/api-keys", json: ["name": "ws"], token: owner).string("key"))
        return World(api: api, clock: clock, adminKey: adminKey, key: key, workspace: signup.string("user", "personal_workspace_id"))
    }

    /// Lines in the simulated provider's send log: what it has received.
    func sends(_ api: WorkerTestHost) -> [String] {
        ((try? String(contentsOfFile: api.dataDirectory + "/api/simulated-sms.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits until the delivery engine is done with the clock's current instant: no delivery job due and
    /// none in hand. Moving the clock in the middle of a batch would defer a job that is not due yet from
    /// the new time instead of the one the engine read (hours late, with days passing at once).
    func settled(_ w: World) async throws -> Bool {
        // The queue's store: its own SQLite file, or on PostgreSQL the rows of the shared `ozzi_queues` table.
        let (queue, pending): (any SQLDatabase, String) = TestBackends.shared
            ? (try PostgresDatabase(url: try String(contentsOfFile: w.api.dataDirectory + "/.test-postgres-url", encoding: .utf8), schema: "ozzi_queues"),
               "SELECT count(*) AS n FROM messages WHERE queue = 'api-delivery' AND (lease_owner IS NOT NULL OR visible_at <= ?)")
            : (try SQLiteDatabase(path: w.api.dataDirectory + "/queues/api-delivery.sqlite"),
               "SELECT count(*) AS n FROM messages WHERE leased = 1 OR visible_at <= ?")
        // And no send in flight: a claimed message is handed to the provider outside the job's lease.
        let api = try await w.api.database("api")
        return try await Poll.until {
            let jobs = try await queue.prepare(pending).bind(w.clock.milliseconds).first()?.integer("n")
            let sending = try await api.prepare("SELECT count(*) AS n FROM messages WHERE status = 'sending'").first()?.integer("n")
            return jobs == 0 && sending == 0
        }
    }

    /// Moves the clock to `iso` once the engine is done with the current instant, and waits until the
    /// provider has `expected` sends in all and the engine is done with the new instant too. The host's
    /// clock is the test's: nothing that is not yet due can be sent, however long the waits take.
    func advance(_ w: World, to iso: String, expecting expected: Int) async throws {
        #expect(try await settled(w), "the engine finished what was due before \(iso)")
        w.clock.set(milliseconds: Self.ms(iso))
        _ = try await Poll.until { sends(w.api).count >= expected }
        #expect(try await settled(w), "the engine finished what was due at \(iso)")
        #expect(sends(w.api).count == expected, "at \(iso): \(sends(w.api).count) sends, expected \(expected)")
    }

    @Test func lessonsReachParticipantsAtTheirLocalTimes() async throws {
        let w = try await world()
        let api = w.api
        defer { Task { await api.stop() } }

        // Content: admins only.
        let memberBook = try await api.call("POST", "/api/v1/admin/books", json: ["title": "Nope"], token: w.key)
        #expect(memberBook.status == 403)
        #expect(try await api.call("GET", "/api/v1/admin/books", token: w.key).status == 403)
        let book = try await api.call("POST", "/api/v1/admin/books", json: ["title": "Psalms in Spring", "description": "Two weeks", "published": true], token: w.adminKey)
        let bookID = try #require(book.string("id"), "\(book.body)")
        let one = try #require(try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons", json: ["title": "Shepherd"], token: w.adminKey).string("id"))
        let two = try #require(try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons", json: ["title": "Refuge"], token: w.adminKey).string("id"))
        for (lesson, type, body, day, time) in [(one, "reminder", "Welcome {{first_name}}", 0, "09:00"), (one, "scripture", "Read Psalm 23", 2, "18:30"),
                                                (two, "reminder", "Lesson two today", 4, "08:00")] {
            let created = try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons/\(lesson)/messages", json: [
                "type": .string(type), "body": .string(body), "day_offset": .number(Double(day)), "send_time": .string(time),
            ], token: w.adminKey)
            #expect(created.status == 201, "\(created.body)")
        }
        let bad = try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons/\(one)/messages",
                                     json: ["type": "reminder", "body": "x", "day_offset": 1, "send_time": "25:00"], token: w.adminKey)
        #expect(bad.string("error", "details", "field") == "send_time")
        #expect(try await api.call("GET", "/api/v1/books", token: w.key).data.map { $0["id"]?.stringValue } == [bookID])

        // Two contacts in two time zones, starting 2 March 2027.
        let ada = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Ada Lovelace", "phone": "+14155550501"], token: w.key).string("id"))
        let ben = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Ben Jonson", "phone": "+14155550502"], token: w.key).string("id"))
        var participants: [String: String] = [:]
        for (contact, zone) in [(ada, "America/New_York"), (ben, "Europe/London")] {
            let enrolled = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: [
                "contact_id": .string(contact), "start_date": "2027-03-02", "time_zone": .string(zone),
            ], token: w.key)
            #expect(enrolled.status == 201, "\(enrolled.body)")
            participants[contact] = try #require(enrolled["enrolled"]?.arrayValue?.first?["id"]?.stringValue)
        }
        let again = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: ["contact_id": .string(ada), "start_date": "2027-03-02",
                                                                                             "time_zone": "America/New_York"], token: w.key)
        #expect(again["skipped"]?.arrayValue?.first?["reason"] == "already_enrolled")
        // The workspace's own check-in on day 1 at noon, for its participants.
        let custom = try await api.call("POST", "/api/v1/books/\(bookID)/lessons/\(one)/messages",
                                        json: ["body": "How is it going, {{first_name}}?", "day_offset": 1, "send_time": "12:00"], token: w.key)
        #expect(custom.status == 201, "\(custom.body)")
        #expect(custom["type"] == "custom")

        let adaPlan = try await api.call("GET", "/api/v1/participants/\(participants[ada]!)", token: w.key)
        #expect(adaPlan["messages"]?.arrayValue?.compactMap { $0["scheduled_at"]?.stringValue } == [
            "2027-03-02T14:00:00.000Z", "2027-03-03T17:00:00.000Z", "2027-03-04T23:30:00.000Z", "2027-03-06T13:00:00.000Z",
        ], "New York is UTC-5 in early March")
        let benPlan = try await api.call("GET", "/api/v1/participants/\(participants[ben]!)", token: w.key)
        #expect(benPlan["messages"]?.arrayValue?.compactMap { $0["scheduled_at"]?.stringValue } == [
            "2027-03-02T09:00:00.000Z", "2027-03-03T12:00:00.000Z", "2027-03-04T18:30:00.000Z", "2027-03-06T08:00:00.000Z",
        ])

        // Time passes: each message reaches the provider at its participant's local time, not before.
        try await advance(w, to: "2027-03-02T08:59:59.000Z", expecting: 0)
        try await advance(w, to: "2027-03-02T09:00:00.000Z", expecting: 1)
        #expect(sends(api).last?.hasSuffix("+14155550502") == true, "Ben, 09:00 in London")
        try await advance(w, to: "2027-03-02T13:59:00.000Z", expecting: 1)
        try await advance(w, to: "2027-03-02T14:00:00.000Z", expecting: 2)
        #expect(sends(api).last?.hasSuffix("+14155550501") == true, "Ada, 09:00 in New York")

        // Ada answers an hour later: engagement.
        #expect(try await settled(w))
        w.clock.set(milliseconds: Self.ms("2027-03-02T15:00:00.000Z"))
        let (code, _) = try await MessagingTests().twilioPost(api, "/api/v1/webhooks/twilio/sms", [
            ("MessageSid", "SMreply1"), ("AccountSid", "AC00000000000000000000000000000000"), ("From", "+14155550501"),
            ("To", "+15550007777"), ("Body", "Amen, thank you"),
        ])
        #expect(code == 200)

        try await advance(w, to: "2027-03-03T12:00:00.000Z", expecting: 3)
        try await advance(w, to: "2027-03-03T17:00:00.000Z", expecting: 4)
        // The provider's delivery report was due 200 ms after the send, on the host's clock, long passed:
        // it arrives as the host gets to it.
        var adaNow = try await api.call("GET", "/api/v1/participants/\(participants[ada]!)", token: w.key)
        _ = try await Poll.until(interval: .milliseconds(50)) {
            adaNow = try await api.call("GET", "/api/v1/participants/\(participants[ada]!)", token: w.key)
            return adaNow["messages"]?.arrayValue?.first?["status"] == "delivered"
        }
        let first = adaNow["messages"]?.arrayValue?.first
        #expect(first?["sent_at"] == "2027-03-02T14:00:00.000Z", "sent at the due instant")
        #expect(first?["status"] == "delivered", "\(adaNow.body)")

        // Ben pauses: his day-2 message does not go.
        let paused = try await api.call("PATCH", "/api/v1/participants/\(participants[ben]!)", json: ["status": "paused"], token: w.key)
        #expect(paused.string("status") == "paused")
        try await advance(w, to: "2027-03-04T18:30:00.000Z", expecting: 4)
        try await advance(w, to: "2027-03-04T23:30:00.000Z", expecting: 5)

        // Lesson two is deactivated: its pending messages are canceled and never sent.
        let off = try await api.call("PATCH", "/api/v1/admin/books/\(bookID)/lessons/\(two)", json: ["active": false], token: w.adminKey)
        #expect(off["active"] == false)
        let adaAfter = try await api.call("GET", "/api/v1/participants/\(participants[ada]!)", token: w.key)
        #expect(adaAfter["messages"]?.arrayValue?.last?["status"] == "canceled", "\(adaAfter.body)")
        try await advance(w, to: "2027-03-06T13:00:00.000Z", expecting: 5)
        #expect(try await api.call("GET", "/api/v1/books/\(bookID)", token: w.key)["lessons"]?.arrayValue?.count == 1, "inactive lessons are hidden")

        // Analytics match what was sent and replied.
        let analytics = try await api.call("GET", "/api/v1/books/\(bookID)/analytics", token: w.key)
        #expect(analytics["participants"]?["enrolled"] == 2)
        #expect(analytics["participants"]?["paused"] == 1)
        #expect(analytics["participants"]?["completed"] == 1, "\(analytics.body)")
        #expect(analytics["messages"]?["sent"].flatMap(\.numberValue).map { $0 + (analytics["messages"]?["delivered"]?.numberValue ?? 0) } == 5)
        #expect(analytics["messages"]?["failed"] == 0)
        #expect(analytics["messages"]?["success_rate"] == 1)
        #expect(analytics["messages"]?["canceled"] == 3, "Ben's day 2 and both lesson-two messages")
        #expect(analytics["replies"] == 1)
        let lessons = analytics["lessons"]?.arrayValue ?? []
        #expect(lessons.first { $0["lesson_id"]?.stringValue == one }?["replies"] == 1)
        #expect(lessons.first { $0["lesson_id"]?.stringValue == two }?["messages"]?["canceled"] == 2)

        // Resuming Ben reschedules only what is still ahead (nothing of lesson one is left; lesson two is off).
        let resumed = try await api.call("PATCH", "/api/v1/participants/\(participants[ben]!)", json: ["status": "active"], token: w.key)
        #expect(resumed.string("status") == "active")
        #expect(resumed["messages"]?.arrayValue?.filter { $0["status"] == "pending" }.isEmpty == true)
    }

    @Test func changingStartDateOrSelectionReschedulesWhatIsAhead() async throws {
        let w = try await world()
        let api = w.api
        defer { Task { await api.stop() } }
        let bookID = try #require(try await api.call("POST", "/api/v1/admin/books", json: ["title": "Short", "published": true], token: w.adminKey).string("id"))
        let one = try #require(try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons", json: ["title": "A"], token: w.adminKey).string("id"))
        let two = try #require(try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons", json: ["title": "B"], token: w.adminKey).string("id"))
        for lesson in [one, two] {
            _ = try await api.call("POST", "/api/v1/admin/books/\(bookID)/lessons/\(lesson)/messages",
                                   json: ["type": "reminder", "body": "Go", "day_offset": 3, "send_time": "07:15"], token: w.adminKey)
        }
        let draft = try #require(try await api.call("POST", "/api/v1/admin/books", json: ["title": "Draft"], token: w.adminKey).string("id"))
        let contact = try #require(try await api.call("POST", "/api/v1/contacts", json: ["name": "Cy", "phone": "+14155550503"], token: w.key).string("id"))
        #expect(try await api.call("POST", "/api/v1/books/\(draft)/participants", json: ["contact_id": .string(contact), "start_date": "2027-03-02",
                                                                                        "time_zone": "UTC"], token: w.key).status == 404, "drafts are not offered")
        let bad = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: ["contact_id": .string(contact), "start_date": "2027-02-30",
                                                                                           "time_zone": "UTC"], token: w.key)
        #expect(bad.string("error", "details", "field") == "start_date")
        let enrolled = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: [
            "contact_id": .string(contact), "start_date": "2027-03-02", "time_zone": "Asia/Tokyo", "lesson_ids": [.string(one)],
        ], token: w.key)
        let id = try #require(enrolled["enrolled"]?.arrayValue?.first?["id"]?.stringValue, "\(enrolled.body)")
        #expect(enrolled["enrolled"]?.arrayValue?.first?["messages"]?.arrayValue?.compactMap { $0["scheduled_at"]?.stringValue }
                == ["2027-03-04T22:15:00.000Z"], "07:15 on 5 March in Tokyo is 22:15 UTC on the 4th")
        // A workspace member is enrolled through a contact with the phone given.
        let members = try await api.call("GET", "/api/v1/workspaces/\(try #require(w.workspace))/members", token: w.key)
        let userID = try #require(members.data.first?["user_id"]?.stringValue, "\(members.body)")
        let member = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: [
            "users": [["user_id": .string(userID), "phone": "+14155550504"]], "start_date": "2027-03-02", "time_zone": "UTC",
        ], token: w.key)
        #expect(member["enrolled"]?.arrayValue?.count == 1, "\(member.body)")
        let memberContact = try #require(member["enrolled"]?.arrayValue?.first?["contact_id"]?.stringValue)
        #expect(try await api.call("GET", "/api/v1/contacts/\(memberContact)", token: w.key).string("email") == "church@example.com")
        let stranger = try await api.call("POST", "/api/v1/books/\(bookID)/participants", json: [
            "users": [["user_id": "usr_nobody", "phone": "+14155550505"]], "start_date": "2027-03-02", "time_zone": "UTC",
        ], token: w.key)
        #expect(stranger.status == 404)

        let moved = try await api.call("PATCH", "/api/v1/participants/\(id)", json: ["start_date": "2027-03-09", "lesson_ids": [.string(one), .string(two)]], token: w.key)
        let planned = moved["messages"]?.arrayValue ?? []
        #expect(planned.filter { $0["status"] == "pending" }.compactMap { $0["scheduled_at"]?.stringValue } == ["2027-03-11T22:15:00.000Z", "2027-03-11T22:15:00.000Z"])
        try await advance(w, to: "2027-03-04T22:15:00.000Z", expecting: 0)
        try await advance(w, to: "2027-03-05T07:15:00.000Z", expecting: 2)  // the member's lessons A and B, 07:15 UTC on day 3
        try await advance(w, to: "2027-03-11T22:15:00.000Z", expecting: 4)
    }
}

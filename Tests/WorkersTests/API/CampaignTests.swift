import Foundation
import Logging
import OzziRuntime
import OzziTestSupport
import Testing
import APIWorker

/// Campaigns on a running host with the simulated SMS provider: routes, a 1,000-contact campaign run to
/// `finished`, pause and resume, auto-pause, cancel, a restart mid-expansion and a stalled run restarted.
@Suite struct CampaignTests {
    /// Fast retries and delivery reports, and send limits above the campaigns' throttles (the throttle is
    /// what spaces them here).
    static let vars = MessagingTests.fastVars.merging(["SMS_RATE_PER_WORKSPACE": "5000", "SMS_RATE_PER_USER": "5000"]) { $1 }

    struct World {
        let api: WorkerTestHost
        let token: String
    }

    func world(vars: [String: String] = [:], clock: any WallClock = SystemClock(), dataDirectory: String? = nil) async throws -> World {
        let api = try await APIHost.start(vars: Self.vars.merging(vars) { $1 }, clock: clock, dataDirectory: dataDirectory)
        return World(api: api, token: try await MessagingTests().owner(api, "campaigns@example.com"))
    }

    /// `count` contacts imported from a CSV (phones +1 415 7xx xxxx, emails pN@example.com); their ids.
    func importContacts(_ w: World, _ count: Int, from first: Int = 0) async throws -> [String] {
        var csv = "name,phone,email\n"
        for i in first..<(first + count) { csv += "Person \(i),+1415\(String(7_000_000 + i)),p\(i)@example.com\n" }
        let report = try await importCSV(w, csv)
        #expect(report["created"] == .number(Double(count)), "\(report.body)")
        let database = try await w.api.database("api")
        return try await database.prepare("SELECT id FROM contacts WHERE phone >= ? AND phone <= ? ORDER BY id")
            .bind("+1415\(7_000_000 + first)", "+1415\(7_000_000 + first + count - 1)").all().compactMap { $0.text("id") }
    }

    /// Imports a CSV and waits for its report.
    func importCSV(_ w: World, _ csv: String, onDuplicate: String = "skip") async throws -> TestResponse {
        let started = try await w.api.call("POST", "/api/v1/contacts/imports?on_duplicate=\(onDuplicate)", raw: csv, token: w.token,
                                           headers: ["Content-Type": "text/csv"])
        let id = try #require(started.string("id"), "\(started.body)")
        var report = started
        _ = try await Poll.until(interval: .milliseconds(20)) {
            report = try await w.api.call("GET", "/api/v1/contacts/imports/\(id)", token: w.token)
            // A request that got no answer (a timeout on a busy machine) is asked again, not taken for the end.
            return report.status == 200 && report.string("status") != "running"
        }
        return report
    }

    func contact(_ w: World, _ phone: String, optedOut: Bool = false) async throws -> String {
        var fields: [String: JSONValue] = ["name": "Special", "phone": .string(phone)]
        if optedOut { fields["sms_consent"] = ["status": "opted_out"] }
        let created = try await w.api.call("POST", "/api/v1/contacts", json: .object(fields), token: w.token)
        return try #require(created.string("id"), "\(created.body)")
    }

    func create(_ w: World, _ fields: [String: JSONValue]) async throws -> String {
        var body: [String: JSONValue] = ["name": "Spring", "channel": "sms", "audience": ["type": "all"], "content": ["body": "Hi {{first_name|there}}"]]
        body.merge(fields) { $1 }
        let created = try await w.api.call("POST", "/api/v1/campaigns", json: .object(body), token: w.token)
        #expect(created.status == 201, "\(created.body)")
        return try #require(created.string("id"))
    }

    func action(_ w: World, _ id: String, _ name: String, _ body: JSONValue? = nil) async throws -> TestResponse {
        try await w.api.call("POST", "/api/v1/campaigns/\(id)/\(name)", json: body, token: w.token)
    }

    func campaign(_ w: World, _ id: String) async throws -> TestResponse {
        try await w.api.call("GET", "/api/v1/campaigns/\(id)", token: w.token)
    }

    func stat(_ response: TestResponse, _ name: String) -> Int {
        Int(response["stats"]?[name]?.numberValue ?? -1)
    }

    /// Polls the campaign until `done` holds; returns its last state. With `stepping`, the host's manual
    /// clock moves `stepMs` (a chain step, by default) ahead before each look.
    func wait(_ w: World, _ id: String, stepping clock: ManualClock? = nil, by stepMs: Int64 = 1000, timeout: Duration = .seconds(300),
              until done: (TestResponse) -> Bool) async throws -> TestResponse {
        var current = try await campaign(w, id)
        _ = try await Poll.until(timeout: timeout, interval: .milliseconds(20)) {
            if done(current) { return true }
            clock?.advance(byMilliseconds: stepMs)
            current = try await campaign(w, id)
            return done(current)
        }
        return current
    }

    /// The simulated provider's send log: one line per accepted send, "<message id> <provider id> <to>".
    func sends(_ api: WorkerTestHost) -> [[Substring]] {
        ((try? String(contentsOfFile: api.dataDirectory + "/api/simulated-sms.log", encoding: .utf8)) ?? "")
            .split(separator: "\n").map { $0.split(separator: " ") }
    }

    /// Moves the host's manual clock `ms` on and waits until every job of `queue` then due has run (by
    /// default the delivery jobs: the sends a paused or cancelled campaign still had queued came due and did
    /// what they do).
    func runJobsDue(_ w: World, _ clock: ManualClock, after ms: Int64, on queue: String = "api-delivery") async throws {
        clock.advance(byMilliseconds: ms)
        #expect(try await Poll.until { try await w.api.host.queues.unfinished(queue) == 0 }, "every job due on \(queue) ran")
    }

    /// Waits until the provider's log stops growing (sends in flight done), then answers its size.
    func settledSends(_ api: WorkerTestHost, campaign id: String) async throws -> Int {
        // Sends claimed before a pause or a cancel still go out (the provider may have them already); once none
        // of the campaign's messages is `sending`, every claimed send is in the provider's log, and no new claim
        // can win (each checks the version the pause or cancel moved on).
        let database = try await api.database("api")
        _ = try await Poll.until(interval: .milliseconds(50)) {
            try await database.prepare("SELECT count(*) AS n FROM messages WHERE campaign_id = ? AND status = 'sending'")
                .bind(id).first()?.integer("n") == 0
        }
        return sends(api).count
    }

    /// Every recipient got exactly one message, and the provider took each message at most once.
    func expectOncePerRecipient(_ api: WorkerTestHost, campaign id: String, recipients: Int) async throws {
        let database = try await api.database("api")
        let perContact = try await database.prepare("""
            SELECT count(*) AS messages, count(DISTINCT contact_id) AS contacts FROM messages WHERE campaign_id = ?
            """).bind(id).first()
        #expect(perContact?.integer("messages") == Int64(recipients))
        #expect(perContact?.integer("contacts") == Int64(recipients))
        let ids = try await database.prepare("SELECT id FROM messages WHERE campaign_id = ?").bind(id).all().compactMap { $0.text("id") }
        let sent = sends(api).map { String($0[0]) }.filter(Set(ids).contains)
        #expect(sent.count == Set(sent).count, "a message sent twice")
    }

    /// Runs the api worker's every-minute maintenance once, as the host's cron would.
    func sweep(_ api: WorkerTestHost) async throws {
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        try await worker.scheduled(ScheduledEvent(cron: "* * * * *", scheduledTime: SystemClock().milliseconds / 60_000 * 60),
                                   context: RequestContext(requestID: "sweep", worker: "api", loop: group.loops[0], logger: Logger(label: "sweep")))
    }

    // MARK: - Routes

    @Test func createValidateListChangeAndDelete() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        let group = try #require(try await w.api.call("POST", "/api/v1/groups", json: ["name": "Choir"], token: w.token).string("id"))
        let template = try #require(try await w.api.call("POST", "/api/v1/templates", json: ["name": "T", "body": "Hello {{first_name}}"], token: w.token).string("id"))

        func refused(_ body: JSONValue, _ status: Int, naming field: String) async throws {
            let answer = try await w.api.call("POST", "/api/v1/campaigns", json: body, token: w.token)
            #expect(answer.status == status, "\(body): \(answer.body)")
            #expect(answer.body.contains(field), "\(body): \(answer.body)")
        }
        try await refused(["name": "x", "audience": ["type": "all"], "content": ["body": "b"]], 422, naming: "channel")
        try await refused(["name": "x", "channel": "fax", "audience": ["type": "all"], "content": ["body": "b"]], 422, naming: "channel")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "filter", "filter": ["updated_before": "2041-02-30T20:37:14Z"]],
                           "content": ["body": "b"]], 422, naming: "audience")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all", "group_ids": [.string(group)]], "content": ["body": "b"]], 422, naming: "audience")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "filter", "filter": ["q": "ann"]], "content": ["body": "b"]], 422, naming: "audience")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "filter", "filter": ["consent": "maybe"]], "content": ["body": "b"]], 422, naming: "audience")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "groups", "group_ids": ["grp_nope"]], "content": ["body": "b"]], 404, naming: "group grp_nope")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all"], "content": ["body": "b", "template_id": .string(template)]], 422, naming: "content")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all"], "content": ["template_id": "tpl_nope"]], 404, naming: "template")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all"], "content": ["body": "Hi {{nope}}"]], 422, naming: "content.body")
        try await refused(["name": "x", "channel": "email", "audience": ["type": "all"], "content": ["body": "b"]], 422, naming: "content.subject")
        try await refused(["name": "x", "channel": "email", "audience": ["type": "all"], "content": ["from": "not an address", "subject": "s", "text": "t"]],
                          422, naming: "content.from")
        try await refused(["name": "x", "channel": "email", "audience": ["type": "all"], "content": ["from": "a@b.example", "subject": "s"]], 422, naming: "content.html")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all"], "content": ["body": "b"], "throttle_per_second": 0], 422, naming: "throttle_per_second")
        try await refused(["name": "x", "channel": "sms", "audience": ["type": "all"], "content": ["body": "b"], "send_at": "tomorrow"], 422, naming: "send_at")

        let sms = try await create(w, ["audience": ["type": "groups", "group_ids": [.string(group)], "opted_in_only": true], "content": ["template_id": .string(template)],
                                       "throttle_per_second": 5])
        let got = try await campaign(w, sms)
        #expect(got.string("state") == "draft")
        #expect(got["audience"] == ["type": "groups", "group_ids": [.string(group)], "opted_in_only": true])
        #expect(got["content"] == ["template_id": .string(template)])
        #expect(got["throttle_per_second"] == 5)
        #expect(got["error_threshold"] == 100)
        #expect(got["stats"]?["recipients"] == 0)
        let email = try await create(w, ["channel": "email", "audience": ["type": "filter", "filter": ["consent": "opted_in", "custom": ["plan": "gold"]]], "content": [
            "from": "Hope <news@sandbox.ozzi.test>", "subject": "News, {{first_name|friend}}", "html": "<p>Hi</p>", "track_opens": true,
        ]])
        #expect(try await campaign(w, email)["content"] == ["from": "Hope <news@sandbox.ozzi.test>", "subject": "News, {{first_name|friend}}",
                                                            "html": "<p>Hi</p>", "track_opens": true, "track_clicks": false])

        // Paging, newest first, and filters.
        let third = try await create(w, ["name": "Third"])
        let first = try await w.api.call("GET", "/api/v1/campaigns?limit=2", token: w.token)
        #expect(first.data.compactMap { $0["id"]?.stringValue } == [third, email])
        let cursor = try #require(first.string("next_cursor"))
        let second = try await w.api.call("GET", "/api/v1/campaigns?limit=2&cursor=\(cursor)", token: w.token)
        #expect(second.data.compactMap { $0["id"]?.stringValue } == [sms])
        #expect(second["next_cursor"] == .null)
        #expect(try await w.api.call("GET", "/api/v1/campaigns?channel=email", token: w.token).data.compactMap { $0["id"]?.stringValue } == [email])

        // Changes: the channel is fixed; a scheduled campaign may change, a running one may not.
        #expect(try await w.api.call("PATCH", "/api/v1/campaigns/\(sms)", json: ["channel": "email"], token: w.token).status == 409)
        #expect(try await w.api.call("PATCH", "/api/v1/campaigns/\(sms)", json: ["content": ["from": "a@b.example", "subject": "s", "text": "t"]],
                                     token: w.token).status == 409)
        let renamed = try await w.api.call("PATCH", "/api/v1/campaigns/\(third)", json: ["name": "Renamed", "content": ["body": "New"]], token: w.token)
        #expect(renamed.string("name") == "Renamed")
        #expect(renamed["content"] == ["body": "New"])
        #expect(try await action(w, third, "schedule").status == 409, "no send_at")
        let later = SQLDate.format(Date(timeIntervalSinceNow: 3600))
        let scheduled = try await action(w, third, "schedule", ["send_at": .string(later)])
        #expect(scheduled.string("state") == "scheduled", "\(scheduled.body)")
        #expect(scheduled.string("send_at").flatMap(SQLDate.parse) == SQLDate.parse(later))
        #expect(try await w.api.call("PATCH", "/api/v1/campaigns/\(third)", json: ["throttle_per_second": 1], token: w.token)["throttle_per_second"] == 1)
        #expect(try await action(w, third, "unschedule").string("state") == "draft")
        // Three recipients a second apart: it runs for two seconds.
        _ = try await importContacts(w, 3)
        #expect(try await action(w, third, "pause").status == 409)
        #expect(try await action(w, third, "send").string("state") == "running")
        let locked = try await w.api.call("PATCH", "/api/v1/campaigns/\(third)", json: ["name": "Nope"], token: w.token)
        #expect(locked.status == 409)
        #expect(locked.body.contains("a running campaign cannot be changed; pause it first"), "\(locked.body)")
        #expect(try await w.api.call("DELETE", "/api/v1/campaigns/\(third)", token: w.token).status == 409)
        #expect(try await action(w, third, "cancel").string("state") == "cancelled")
        #expect(try await action(w, third, "resume").status == 409)
        #expect(try await w.api.call("DELETE", "/api/v1/campaigns/\(third)", token: w.token).status == 204)
        #expect(try await campaign(w, third).status == 404)

        // Another workspace sees none of it.
        let other = try #require(try await w.api.signUp("other@example.com").string("access_token"))
        #expect(try await w.api.call("GET", "/api/v1/campaigns/\(sms)", token: other).status == 404)
        #expect(try await w.api.call("POST", "/api/v1/campaigns/\(sms)/send", token: other).status == 404)
        #expect(try await w.api.call("GET", "/api/v1/campaigns", token: other).data.isEmpty)
    }

    // MARK: - Runs

    /// 1,000 recipients (one of 1,001 contacts opted out), sent at 200 a second through the simulated
    /// provider: exact counts at the end, sends spaced at the throttle, each recipient once.
    @Test func aThousandContactSMSCampaignRunsToFinished() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        _ = try await importContacts(w, 997)
        for phone in ["+15005550001", "+15005550009", "+15005550002"] { _ = try await contact(w, phone) }
        _ = try await contact(w, "+14155550999", optedOut: true)
        let id = try await create(w, ["throttle_per_second": 200])
        #expect(try await action(w, id, "send").string("state") == "running")

        // Finished once nothing is pending or sending; the last delivery reports come a moment later.
        let done = try await wait(w, id) { $0.string("state") == "finished" && stat($0, "delivered") == 998 }
        #expect(done.string("state") == "finished", "\(done.body)")
        #expect(done["recipients"] == 1000)
        #expect(done["expanded"] == true)
        #expect(done["stats"] == ["recipients": 1000, "pending": 0, "sent": 999, "delivered": 998, "failed": 2, "bounced": 0, "opened": 0,
                                  "clicked": 0, "unsubscribed": 0, "complained": 0, "canceled": 0, "review": 0])
        #expect(done.string("finished_at") != nil)
        try await expectOncePerRecipient(w.api, campaign: id, recipients: 1000)
        #expect(sends(w.api).count == 999)

        // Planned at the throttle: 5 ms apart in contact order, never closer, across both batches of 500. (A
        // batch expanded after the pace had passed, on a loaded machine, starts again from its own now: a
        // longer gap there, never a shorter one.)
        let database = try await w.api.database("api")
        let planned = try await database.prepare("SELECT scheduled_at FROM messages WHERE campaign_id = ? ORDER BY contact_id").bind(id).all()
            .compactMap { $0.text("scheduled_at").flatMap(SQLDate.parse) }
        #expect(planned.count == 1000)
        let gaps = Set(zip(planned.dropFirst(), planned).map { Int((($0.timeIntervalSince($1)) * 1000).rounded()) })
        #expect(gaps.min() == 5 && gaps.allSatisfy { $0 >= 5 }, "\(gaps)")

        // The state changes and the progress on the event stream: at most one progress a second until the end.
        let events = try await database.prepare("SELECT type, data, created_at FROM workspace_events WHERE type LIKE 'campaign.%' ORDER BY seq").all()
        let states = events.filter { $0.text("type") == "campaign.state" }.compactMap { $0.text("data") }
        #expect(states.count == 2)
        #expect(states.first?.contains(#""state":"running""#) == true)
        #expect(states.last?.contains(#""state":"finished""#) == true)
        let progress = events.filter { $0.text("type") == "campaign.progress" }
        #expect(!progress.isEmpty)
        let times = progress.compactMap { $0.text("created_at").flatMap(SQLDate.parse) }
        for (later, earlier) in zip(times.dropLast().dropFirst(), times.dropLast()) {
            #expect(later.timeIntervalSince(earlier) >= 0.999, "progress at most once a second")
        }
        #expect(progress.last?.text("data")?.contains(#""pending":0"#) == true)
    }

    /// Paused mid-way, nothing more goes out; resumed, the rest goes from then at the throttle. The host's
    /// clock moves only when the test moves it: the pause lands mid-way however slow the machine.
    @Test func pauseAndResumeMidCampaign() async throws {
        let clock = MessagingTests.manualClock()
        let w = try await world(clock: clock)
        defer { Task { await w.api.stop() } }
        _ = try await importContacts(w, 300)
        // A minute of sends at 5 a second; a second of it comes due (six sends), then the pause.
        let id = try await create(w, ["throttle_per_second": 5])
        _ = try await action(w, id, "send")
        _ = try await wait(w, id) { $0["recipients"] == 300 }
        clock.advance(byMilliseconds: 1000)
        _ = try await wait(w, id) { stat($0, "sent") >= 3 }
        let paused = try await action(w, id, "pause")
        #expect(paused.string("state") == "paused")
        #expect(paused.string("state_reason") == "paused by a user")
        let held = try await settledSends(w.api, campaign: id)
        try await runJobsDue(w, clock, after: 120_000)
        #expect(sends(w.api).count == held, "nothing sent while paused")
        #expect(held < 300)
        #expect(try await action(w, id, "pause").status == 409)
        // A paused campaign may be changed: the rest goes at 100 a second.
        let faster = try await w.api.call("PATCH", "/api/v1/campaigns/\(id)", json: ["throttle_per_second": 100], token: w.token)
        #expect(faster.status == 200, "\(faster.body)")

        let resumedAt = clock.milliseconds
        #expect(try await action(w, id, "resume").string("state") == "running")
        let done = try await wait(w, id, stepping: clock, by: 200) { $0.string("state") == "finished" && stat($0, "delivered") == 300 }
        #expect(done["stats"]?["sent"] == 300, "\(done.body)")
        #expect(done["stats"]?["delivered"] == 300)
        try await expectOncePerRecipient(w.api, campaign: id, recipients: 300)
        #expect(sends(w.api).count == 300)
        // What was left went from the resume on, 10 ms apart.
        let database = try await w.api.database("api")
        let replanned = try await database.prepare("SELECT due_ms FROM messages WHERE campaign_id = ? AND version > 1 ORDER BY contact_id").bind(id).all()
            .compactMap { $0.integer("due_ms") }
        #expect(replanned.count == 300 - held, "the messages held were planned again")
        #expect((replanned.first ?? 0) >= resumedAt)
        #expect(Set(zip(replanned.dropFirst(), replanned).map { $0 - $1 }) == [10])
    }

    /// Failures pause a campaign at its threshold, saying why; resumed, it counts failures afresh.
    @Test func autoPausesAtItsErrorThreshold() async throws {
        let w = try await world()
        defer { Task { await w.api.stop() } }
        // Made first, so they come first in contact order: two fail at once, one after its retries.
        for phone in ["+15005550001", "+15005550004", "+15005550003"] { _ = try await contact(w, phone) }
        _ = try await importContacts(w, 100)
        let id = try await create(w, ["throttle_per_second": 50, "error_threshold": 2])
        _ = try await action(w, id, "send")
        let paused = try await wait(w, id) { $0.string("state") == "paused" }
        // Two fail at once; the third may have run out of retries too by the time the run looks.
        let reasons = (2...3).map { "paused automatically: \($0) sends failed (threshold 2)" }
        #expect(reasons.contains(paused.string("state_reason") ?? ""), "\(paused.body)")
        let resumed = try await action(w, id, "resume")
        #expect(resumed.string("state") == "running")
        let done = try await wait(w, id) { $0.string("state") == "finished" }
        #expect(done["stats"]?["failed"] == 3, "\(done.body)")
        #expect(done["stats"]?["sent"] == 100)
        try await expectOncePerRecipient(w.api, campaign: id, recipients: 103)
    }

    /// Cancelled mid-way, nothing more goes out and what was left is counted cancelled (on the host's
    /// manual clock, as above).
    @Test func cancelStopsWhatIsLeft() async throws {
        let clock = MessagingTests.manualClock()
        let w = try await world(clock: clock)
        defer { Task { await w.api.stop() } }
        _ = try await importContacts(w, 200)
        // 40 s of sends at 5 a second; a second of it comes due (six sends), then the cancel.
        let id = try await create(w, ["throttle_per_second": 5])
        _ = try await action(w, id, "send")
        _ = try await wait(w, id) { $0["recipients"] == 200 }
        clock.advance(byMilliseconds: 1000)
        _ = try await wait(w, id) { stat($0, "sent") >= 3 }
        let cancelled = try await action(w, id, "cancel")
        #expect(cancelled.string("state") == "cancelled")
        #expect(cancelled.string("finished_at") != nil)
        let sent = try await settledSends(w.api, campaign: id)
        try await runJobsDue(w, clock, after: 60_000)
        #expect(sends(w.api).count == sent)
        let after = try await campaign(w, id)
        #expect(stat(after, "pending") == 0)
        #expect(stat(after, "canceled") > 0)
        #expect(stat(after, "canceled") + stat(after, "sent") == 200, "\(after.body)")
        #expect(stat(after, "sent") == sent)
        #expect(try await action(w, id, "resume").status == 409)
    }

    /// A pause or cancel holds the pending messages, not a send in flight: should that send fail and be
    /// retried, its new job finds the campaign not running. Here the campaign is moved in the database alone,
    /// as such a pause leaves it: every queued job comes due and none sends while it is paused; resumed, each
    /// recipient gets one message. Cancelled the same way, the jobs cancel their messages.
    @Test func jobsOfACampaignNotRunningDoNotSend() async throws {
        let clock = MessagingTests.manualClock()
        let w = try await world(clock: clock)
        defer { Task { await w.api.stop() } }
        _ = try await importContacts(w, 40)
        // 40 s of sends at 1 a second, every job queued at once; the host's clock stands still until the pause
        // (at 5 a second on the real clock, a busy CI run once sent all 40 before it).
        let id = try await create(w, ["throttle_per_second": 1])
        _ = try await action(w, id, "send")
        _ = try await wait(w, id) { $0["expanded"] == true }
        let database = try await w.api.database("api")
        try await database.prepare("UPDATE campaigns SET state = 'paused' WHERE id = ?").bind(id).run()
        let held = try await settledSends(w.api, campaign: id)
        #expect(held < 40)
        try await runJobsDue(w, clock, after: 60_000)
        #expect(sends(w.api).count == held, "nothing sent while paused")
        let pending = try await campaign(w, id)
        #expect(stat(pending, "pending") == 40 - held, "\(pending.body)")

        #expect(try await action(w, id, "resume").string("state") == "running")
        clock.advance(byMilliseconds: 1000)
        _ = try await wait(w, id) { stat($0, "sent") > held }
        try await database.prepare("UPDATE campaigns SET state = 'cancelled' WHERE id = ?").bind(id).run()
        let sent = try await settledSends(w.api, campaign: id)
        let after = try await wait(w, id, stepping: clock) { stat($0, "pending") == 0 }
        #expect(sends(w.api).count == sent)
        #expect(stat(after, "sent") == sent, "\(after.body)")
        #expect(stat(after, "canceled") == 40 - sent, "the jobs cancelled what was left")
        try await expectOncePerRecipient(w.api, campaign: id, recipients: 40)
    }

    /// The host stops between expansion batches and starts again on the same data: the campaign finishes,
    /// each recipient with exactly one message. The hosts' clock moves only when the test moves it, so the
    /// first host stops between the batches however slow the machine.
    @Test func restartMidExpansionSkipsAndRepeatsNobody() async throws {
        let vars = ["CAMPAIGN_EXPAND_AHEAD_SECONDS": "1"]
        let clock = MessagingTests.manualClock()
        let first = try await world(vars: vars, clock: clock)
        _ = try await importContacts(first, 1000)
        let id = try await create(first, ["throttle_per_second": 25])
        _ = try await action(first, id, "send")
        let between = try await wait(first, id) { $0["recipients"] == 500 }
        #expect(between["expanded"] == false, "stopped between batches")
        await first.api.stop(keepData: true)

        // The second host's clock starts where the first one's stopped.
        let later = ManualClock(milliseconds: clock.milliseconds)
        let second = World(api: try await APIHost.start(vars: Self.vars.merging(vars) { $1 }, clock: later, dataDirectory: first.api.dataDirectory),
                           token: first.token)
        defer { Task { await second.api.stop() } }
        let done = try await wait(second, id, stepping: later) { $0.string("state") == "finished" }
        #expect(done["recipients"] == 1000, "\(done.body)")
        #expect(stat(done, "sent") + stat(done, "review") == 1000)
        try await expectOncePerRecipient(second.api, campaign: id, recipients: 1000)
    }

    /// A run whose chain was lost (its job gone) stops expanding; the maintenance sweep finds it silent
    /// and starts it again, from its cursor. The host's clock moves only when the test moves it, so the
    /// second batch cannot come before the chain is cut, however starved the machine.
    @Test func maintenanceRestartsAStalledRun() async throws {
        let clock = MessagingTests.manualClock()
        let w = try await world(vars: ["CAMPAIGN_EXPAND_AHEAD_SECONDS": "1"], clock: clock)
        defer { Task { await w.api.stop() } }
        _ = try await importContacts(w, 1000)
        // 10 a second: the first batch's sends span 50 s, and the second batch may be made 49 s after the first.
        let id = try await create(w, ["throttle_per_second": 10])
        _ = try await action(w, id, "send")
        _ = try await wait(w, id) { $0["recipients"] == 500 }
        let database = try await w.api.database("api")
        // The chain's jobs now carry a token that is no longer the campaign's: they do nothing.
        try await database.prepare("UPDATE campaigns SET run_token = 'lost' WHERE id = ?").bind(id).run()
        // 50 s on, past the second batch's time (49 s) and short of the 60 s a chain may stay silent: once
        // nothing due on the jobs queue is left, the chain's next step (due at 1 s) has run, found its
        // token gone and queued nothing.
        try await runJobsDue(w, clock, after: 50_000, on: "api-jobs")
        let stalled = try await campaign(w, id)
        #expect(stalled["recipients"] == 500, "no expansion without a chain")
        #expect(stalled.string("state") == "running")
        try await database.prepare("UPDATE campaigns SET run_seen_ms = 0 WHERE id = ?").bind(id).run()
        try await sweep(w.api)
        let done = try await wait(w, id, stepping: clock) { $0.string("state") == "finished" }
        #expect(done["recipients"] == 1000, "\(done.body)")
        #expect(stat(done, "sent") == 1000)
        try await expectOncePerRecipient(w.api, campaign: id, recipients: 1000)
    }
}

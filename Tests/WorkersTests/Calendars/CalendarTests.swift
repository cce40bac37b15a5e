import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Calendars through the api's routes: a member's built-in calendar, timed, all-day and recurring events
/// across a DST change, single-occurrence changes, etags, conflicts, bad input; and the team's view, free/busy
/// and common free slots for two members in zones whose DST changes fall a week apart.
@Suite struct CalendarTests {
    static func builtin(_ api: WorkerTestHost, _ token: String, headers: [String: String] = [:]) async throws -> String {
        let calendars = try await api.call("GET", "/api/v1/calendars", token: token, headers: headers)
        #expect(calendars.status == 200 && calendars.data.count == 1 && calendars.data.first?["source"] == "builtin", "\(calendars.body)")
        return try #require(calendars.data.first?["id"]?.stringValue)
    }

    static func starts(_ answer: TestResponse) -> [String] {
        answer.data.compactMap { $0["start"]?.stringValue }
    }

    @Test func aWeeklyMeetingKeepsItsLocalTimeAcrossDSTWithOneOccurrenceMovedAndOneCancelled() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("ada@example.com").string("access_token"))
        let calendar = try await Self.builtin(api, token)
        let set = try await api.call("PATCH", "/api/v1/calendars/\(calendar)", json: [
            "time_zone": "America/New_York", "working_hours": ["days": ["MO", "TU", "WE", "TH", "FR"], "start": "08:30", "end": "16:30"],
        ], token: token)
        #expect(set.status == 200 && set.string("time_zone") == "America/New_York" && set["working_hours"]?["start"] == "08:30", "\(set.body)")

        // Mondays at 09:00 New York time, four times: the US leaves DST on Sunday 2026-11-01.
        let created = try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: [
            "title": "Planning", "start": "2026-10-26T09:00", "end": "2026-10-26T10:00", "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
            "attendees": [["email": "Grace@Example.com", "name": "Grace"]],
        ], token: token)
        #expect(created.status == 201 && created.string("time_zone") == "America/New_York" && created.string("recurrence") == "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
                && created.string("start") == "2026-10-26T09:00:00" && created["conflicts"]?.arrayValue?.isEmpty == true, "\(created.body)")
        #expect(created["attendees"]?.arrayValue?.first?["email"] == "grace@example.com" && created["attendees"]?.arrayValue?.first?["response_status"] == "needsAction")
        let event = try #require(created.string("id"))
        let range = "/api/v1/calendars/\(calendar)/events?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&time_zone=UTC"
        #expect(Self.starts(try await api.call("GET", range, token: token))
                == ["2026-10-26T13:00:00+00:00", "2026-11-02T14:00:00+00:00", "2026-11-09T14:00:00+00:00", "2026-11-16T14:00:00+00:00"])
        let local = try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-10-01&to=2026-12-01", token: token)
        #expect(local.string("time_zone") == "America/New_York" && local.string("from") == "2026-10-01T00:00:00-04:00")
        #expect(Self.starts(local) == ["2026-10-26T09:00:00-04:00", "2026-11-02T09:00:00-05:00", "2026-11-09T09:00:00-05:00", "2026-11-16T09:00:00-05:00"])

        // One cancelled, one moved to 11:00 with another title; an occurrence the rule never makes is not there.
        let etag = try #require(created.string("etag"))
        let cancelled = try await api.call("DELETE", "/api/v1/calendars/events/\(event)/occurrences/2026-11-09T09:00:00", token: token, headers: ["If-Match": etag])
        #expect(cancelled.status == 200 && cancelled["exceptions"]?.arrayValue?.first?["cancelled"] == true && cancelled.string("etag") != etag, "\(cancelled.body)")
        let stale = try await api.call("PUT", "/api/v1/calendars/events/\(event)/occurrences/2026-11-16T09:00:00", json: ["start": "2026-11-16T11:00"],
                                       token: token, headers: ["If-Match": etag])
        #expect(stale.status == 412 && stale.headers["etag"] == cancelled.string("etag"), "a change made on the version before: \(stale.body)")
        let moved = try await api.call("PUT", "/api/v1/calendars/events/\(event)/occurrences/2026-11-16T09:00:00",
                                       json: ["start": "2026-11-16T11:00", "title": "Planning (late)"], token: token)
        #expect(moved.status == 200 && moved["exceptions"]?.arrayValue?.count == 2, "\(moved.body)")
        #expect(try await api.call("PUT", "/api/v1/calendars/events/\(event)/occurrences/2026-11-17T09:00:00", json: ["title": "x"], token: token).status == 404)
        let after = try await api.call("GET", range, token: token)
        #expect(Self.starts(after) == ["2026-10-26T13:00:00+00:00", "2026-11-02T14:00:00+00:00", "2026-11-16T16:00:00+00:00"], "\(after.body)")
        #expect(after.data.last?["title"] == "Planning (late)" && after.data.last?["original_start"] == "2026-11-16T09:00:00"
                && after.data.last?["end"] == "2026-11-16T17:00:00+00:00")

        // An all-day event is the same dates in any zone, and not busy unless it says so. (On Kiritimati, UTC+14,
        // Monday's 09:00 New York meeting falls on Tuesday: the view shows it there too.)
        let holiday = try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: ["title": "Off", "start": "2026-11-03"], token: token)
        #expect(holiday.status == 201 && holiday["all_day"] == true && holiday.string("end") == "2026-11-04" && holiday["busy"] == false
                && holiday["time_zone"] == nil, "\(holiday.body)")
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let day = try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-11-03&to=2026-11-04&time_zone=\(zone)", token: token)
            #expect(day.data.filter { $0["all_day"] == true }.map { $0["start"]?.stringValue } == ["2026-11-03"], "\(zone): \(day.body)")
        }

        // A conflict is reported on create, or refused with reject_conflicts (and then nothing is made).
        let overlapping = try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: [
            "title": "Dentist", "start": "2026-11-02T09:30", "end": "2026-11-02T10:30",
        ], token: token)
        #expect(overlapping.status == 201 && overlapping["conflicts"]?.arrayValue?.first?["event_id"]?.stringValue == event
                && overlapping["conflicts"]?.arrayValue?.first?["start"] == "2026-11-02T09:00:00-05:00", "\(overlapping.body)")
        let refused = try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: [
            "title": "Call", "start": "2026-10-26T09:45", "reject_conflicts": true,
        ], token: token)
        #expect(refused.status == 409 && refused.body.contains("Planning"), "\(refused.body)")
        #expect(try await api.call("GET", range, token: token).data.count == 5, "three of the series, the day off and the dentist; not the refused call")

        // Changing the series' time drops its exceptions; deleting it takes every occurrence.
        let retimed = try await api.call("PATCH", "/api/v1/calendars/events/\(event)", json: ["start": "2026-10-26T08:00"], token: token)
        #expect(retimed.status == 200 && retimed.string("end") == "2026-10-26T09:00:00" && retimed["exceptions"]?.arrayValue?.isEmpty == true, "\(retimed.body)")
        #expect(try await api.call("DELETE", "/api/v1/calendars/events/\(event)", token: token, headers: ["If-Match": "\"1\""]).status == 412)
        #expect(try await api.call("DELETE", "/api/v1/calendars/events/\(event)", token: token).status == 204)
        #expect(try await api.call("GET", "/api/v1/calendars/events/\(event)", token: token).status == 404)
    }

    /// Eight creates for one slot at once, each refusing conflicts: one is made, seven refused (the check is
    /// made again inside the writing transaction, so none slips past another's in flight).
    @Test func createsRacingForOneSlotWithRejectConflictsMakeOne() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("ada@example.com").string("access_token"))
        let calendar = try await Self.builtin(api, token)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: [
                        "title": .string("Slot \(index)"), "start": "2026-11-02T09:00", "end": "2026-11-02T10:00", "reject_conflicts": true,
                    ], token: token).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted() == [201] + Array(repeating: 409, count: 7), "\(statuses)")
        let day = try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-11-02&to=2026-11-03", token: token)
        #expect(day.data.count == 1, "\(day.body)")

        // The race itself, made certain: a create whose first look found the slot free meets, in its
        // transaction, the event made since, and nothing is written.
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let domain = try #require(worker.domains.compactMap { $0 as? CalendarsDomain }.first)
        let me = try await api.call("GET", "/api/v1/me", token: token)
        let scope = TenantScope(workspaceID: try #require(me.string("workspace", "id") ?? me.string("user", "personal_workspace_id"), "\(me.body)"))
        let owned = try #require(try await domain.calendars.get(scope, id: calendar))
        let body = JSONValue.object(["title": "Late", "start": "2026-11-02T09:30", "end": "2026-11-02T10:30", "reject_conflicts": true])
        let input = try EventInput(Request(method: "POST", target: "/", headers: ["content-type": "application/json"], body: body.jsonBytes),
                                   calendar: owned, existing: nil)
        let proposed = CalendarEvent(proposed: input, on: owned, by: owned.ownerID, at: Timestamp.now(domain.clock))
        await #expect(throws: APIError.self) {
            _ = try await domain.events.create(scope, calendar: owned, input, by: owned.ownerID) { tx in
                let found = try CalendarsDomain.conflicts(tx, scope, ownerID: owned.ownerID, event: proposed, zone: owned.zone)
                if !found.isEmpty { throw APIError.conflict("taken") }
            }
        }
        #expect(try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-11-02&to=2026-11-03", token: token).data.count == 1)
    }

    @Test func badEventsAreRefusedByName() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("ada@example.com").string("access_token"))
        let calendar = try await Self.builtin(api, token)
        let path = "/api/v1/calendars/\(calendar)/events"
        let cases: [([String: JSONValue], String)] = [
            (["title": "x", "start": "2026-11-02T09:00", "recurrence": "FREQ=HOURLY"], "recurrence"),
            (["title": "x", "start": "2026-11-02T09:00", "recurrence": "FREQ=WEEKLY;BYDAY=XX"], "recurrence"),
            (["title": "x", "start": "2026-11-02T09:00", "end": "2026-11-02T08:00"], "end"),
            (["title": "x", "start": "2026-11-02T09:00", "time_zone": "Mars/Olympus_Mons"], "time_zone"),
            (["title": "x", "start": "2026-11-02", "time_zone": "Europe/Paris"], "time_zone"),
            (["title": "x", "start": "2026-11-02", "end": "2026-11-02"], "end"),
            (["title": "x", "start": "2026-02-30T09:00"], "start"),
            (["title": " ", "start": "2026-11-02T09:00"], "title"),
            (["title": "x", "start": "2026-11-02T09:00", "attendees": [["email": "a@example.com"], ["email": "A@example.com"]]], "attendees[1].email"),
        ]
        for (body, field) in cases {
            let answer = try await api.call("POST", path, json: .object(body), token: token)
            #expect(answer.status == 422 && answer["error"]?["details"]?["field"]?.stringValue == field, "\(body): \(answer.body)")
        }
        #expect(try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-11-02&to=2026-11-01", token: token).status == 422)
        #expect(try await api.call("GET", "/api/v1/calendars/\(calendar)/events?from=2026-01-01&to=2028-01-01", token: token).status == 422)
        let single = try #require(try await api.call("POST", path, json: ["title": "x", "start": "2026-11-02T09:00"], token: token).string("id"))
        let notRecurring = try await api.call("DELETE", "/api/v1/calendars/events/\(single)/occurrences/2026-11-02T09:00:00", token: token)
        #expect(notRecurring.status == 409, "\(notRecurring.body)")

        // Another workspace's member sees none of it; a member of this one may read but not write.
        let other = try #require(try await api.signUp("eve@example.com").string("access_token"))
        #expect(try await api.call("GET", "/api/v1/calendars/events/\(single)", token: other).status == 404)
        #expect(try await api.call("POST", path, json: ["title": "x", "start": "2026-11-02T09:00"], token: other).status == 404)
    }

    /// Two members, New York and London, 09:00-17:00 each: in the week the UK has left DST and the US has
    /// not (2026-10-26 to 10-30) their common hours are 13:00-17:00 UTC; the week after, 14:00-17:00.
    @Test func teamFreeBusyAndFreeSlotsAcrossDSTChangesInTwoZones() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let owner = try await api.signUp("ada@example.com")
        let ownerToken = try #require(owner.string("access_token"))
        let ownerID = try #require(owner.string("user", "id"))
        let workspace = try #require(try await api.call("POST", "/api/v1/workspaces", json: ["name": "Acme"], token: ownerToken).string("id"))
        let invite = try #require(try await api.call("POST", "/api/v1/workspaces/\(workspace)/invitations", json: ["email": "grace@example.com"], token: ownerToken).string("token"))
        let grace = try await api.signUp("grace@example.com")
        let graceToken = try #require(grace.string("access_token"))
        let graceID = try #require(grace.string("user", "id"))
        #expect(try await api.call("POST", "/api/v1/invitations/accept", json: ["token": .string(invite)], token: graceToken).status == 200)
        let acme = ["X-Workspace-Id": workspace]

        let adaCalendar = try await Self.builtin(api, ownerToken, headers: acme)
        let graceCalendar = try await Self.builtin(api, graceToken, headers: acme)
        #expect(try await api.call("PATCH", "/api/v1/calendars/\(adaCalendar)", json: ["time_zone": "America/New_York"], token: ownerToken, headers: acme).status == 200)
        #expect(try await api.call("PATCH", "/api/v1/calendars/\(graceCalendar)", json: ["time_zone": "Europe/London"], token: graceToken, headers: acme).status == 200)
        #expect(try await api.call("PATCH", "/api/v1/calendars/\(adaCalendar)", json: ["name": "Mine now"], token: graceToken, headers: acme).status == 403)

        // Ada: a daily 10:00-11:00 stand-up in New York (14:00-15:00 UTC, then 15:00-16:00); Grace: a private
        // 16:30-17:00 London call on the Tuesday.
        _ = try await api.call("POST", "/api/v1/calendars/\(adaCalendar)/events", json: [
            "title": "Stand-up", "start": "2026-10-26T10:00", "end": "2026-10-26T11:00", "recurrence": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
        ], token: ownerToken, headers: acme)
        _ = try await api.call("POST", "/api/v1/calendars/\(graceCalendar)/events", json: [
            "title": "Doctor", "start": "2026-10-27T16:30", "end": "2026-10-27T17:00", "visibility": "private",
        ], token: graceToken, headers: acme)

        let query = "from=2026-10-26T00:00:00Z&to=2026-11-04T00:00:00Z&time_zone=UTC"
        let slots = try await api.call("GET", "/api/v1/calendars/free-slots?\(query)&duration_minutes=60", token: ownerToken, headers: acme)
        let expected = [
            ("2026-10-26T13:00:00+00:00", "2026-10-26T14:00:00+00:00"), ("2026-10-26T15:00:00+00:00", "2026-10-26T17:00:00+00:00"),
            ("2026-10-27T13:00:00+00:00", "2026-10-27T14:00:00+00:00"), ("2026-10-27T15:00:00+00:00", "2026-10-27T16:30:00+00:00"),
            ("2026-10-28T13:00:00+00:00", "2026-10-28T14:00:00+00:00"), ("2026-10-28T15:00:00+00:00", "2026-10-28T17:00:00+00:00"),
            ("2026-10-29T13:00:00+00:00", "2026-10-29T14:00:00+00:00"), ("2026-10-29T15:00:00+00:00", "2026-10-29T17:00:00+00:00"),
            ("2026-10-30T13:00:00+00:00", "2026-10-30T14:00:00+00:00"), ("2026-10-30T15:00:00+00:00", "2026-10-30T17:00:00+00:00"),
            // After the US change: Ada's day starts at 14:00 UTC and her stand-up is 15:00-16:00.
            ("2026-11-02T14:00:00+00:00", "2026-11-02T15:00:00+00:00"), ("2026-11-02T16:00:00+00:00", "2026-11-02T17:00:00+00:00"),
            ("2026-11-03T14:00:00+00:00", "2026-11-03T15:00:00+00:00"), ("2026-11-03T16:00:00+00:00", "2026-11-03T17:00:00+00:00"),
        ]
        let found = (slots["slots"]?.arrayValue ?? []).map { ($0["start"]?.stringValue ?? "", $0["end"]?.stringValue ?? "") }
        #expect(found.map { "\($0.0)/\($0.1)" } == expected.map { "\($0.0)/\($0.1)" }, "\(slots.body)")
        let long = try await api.call("GET", "/api/v1/calendars/free-slots?\(query)&duration_minutes=120&user_ids=\(ownerID),\(graceID)", token: ownerToken, headers: acme)
        #expect((long["slots"]?.arrayValue ?? []).count == 4, "only Monday, Wednesday, Thursday and Friday of the first week have two hours: \(long.body)")

        let freeBusy = try await api.call("GET", "/api/v1/calendars/freebusy?from=2026-10-27&to=2026-10-28&time_zone=Europe/London", token: graceToken, headers: acme)
        let busy = Dictionary(uniqueKeysWithValues: (freeBusy["members"]?.arrayValue ?? []).map { ($0["user_id"]?.stringValue ?? "", $0["busy"]?.arrayValue ?? []) })
        #expect(busy[ownerID]?.map { $0["start"]?.stringValue } == ["2026-10-27T14:00:00+00:00"], "\(freeBusy.body)")
        #expect(busy[graceID]?.map { $0["end"]?.stringValue } == ["2026-10-27T17:00:00+00:00"], "\(freeBusy.body)")

        // The team view in Ada's zone: Grace's private call is only busy time to Ada.
        let team = try await api.call("GET", "/api/v1/calendars/team?from=2026-10-27&to=2026-10-28", token: ownerToken, headers: acme)
        #expect(team.string("time_zone") == "America/New_York", "\(team.body)")
        let members = team["members"]?.arrayValue ?? []
        let graceView = try #require(members.first { $0["user_id"]?.stringValue == graceID })
        #expect(graceView["time_zone"] == "Europe/London" && graceView["occurrences"]?.arrayValue?.first?["title"] == "Busy"
                && graceView["occurrences"]?.arrayValue?.first?["start"] == "2026-10-27T12:30:00-04:00", "\(graceView)")
        let privateOne = try #require(graceView["occurrences"]?.arrayValue?.first?["event_id"]?.stringValue)
        #expect(try await api.call("GET", "/api/v1/calendars/events/\(privateOne)", token: ownerToken, headers: acme).status == 404)
        #expect(try await api.call("GET", "/api/v1/calendars/team?from=2026-10-27&to=2026-10-28&user_ids=usr_nobody", token: ownerToken, headers: acme).status == 422)
    }

    /// What a review found: an hour starting in the spring-forward gap still takes an hour; a retitled
    /// occurrence keeps its move; an occurrence or a series cannot be stretched to the end of time; an
    /// all-day busy day is the owner's day in free/busy, whoever asks.
    @Test func gapsMovesBoundsAndAllDayBusyDays() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("ada@example.com").string("access_token"))
        let calendar = try await Self.builtin(api, token)
        #expect(try await api.call("PATCH", "/api/v1/calendars/\(calendar)", json: ["time_zone": "America/New_York"], token: token).status == 200)
        let path = "/api/v1/calendars/\(calendar)/events"

        // 02:00 on 2027-03-14 does not exist in New York: the hour runs 03:00-04:00 EDT.
        let gap = try await api.call("POST", path, json: ["title": "Night shift", "start": "2027-03-14T02:00", "end": "2027-03-14T03:00"], token: token)
        #expect(gap.status == 201, "\(gap.body)")
        let night = try await api.call("GET", "/api/v1/calendars/freebusy?from=2027-03-14&to=2027-03-15&time_zone=UTC", token: token)
        #expect(night["members"]?.arrayValue?.first?["busy"] == [["start": "2027-03-14T07:00:00+00:00", "end": "2027-03-14T08:00:00+00:00"]], "\(night.body)")

        let series = try #require(try await api.call("POST", path, json: [
            "title": "Sync", "start": "2027-01-04T10:00", "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
        ], token: token).string("id"))
        let occurrence = "/api/v1/calendars/events/\(series)/occurrences/2027-01-11T10:00:00"
        #expect(try await api.call("PUT", occurrence, json: ["start": "2027-01-11T15:00"], token: token).status == 200)
        let retitled = try await api.call("PUT", occurrence, json: ["title": "Sync (moved)"], token: token)
        #expect(retitled["exceptions"]?.arrayValue?.first?["start"] == "2027-01-11T15:00:00"
                && retitled["exceptions"]?.arrayValue?.first?["title"] == "Sync (moved)", "\(retitled.body)")
        let stretched = try await api.call("PUT", occurrence, json: ["end": "2199-01-01T00:00"], token: token)
        #expect(stretched.status == 422 && stretched["error"]?["details"]?["field"] == "end", "\(stretched.body)")
        for (body, field) in [(["title": "x", "start": "9999-12-31"] as [String: JSONValue], "start"),
                              (["title": "x", "start": "2027-01-04T10:00", "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU;COUNT=9223372036854775807"], "recurrence")] {
            let answer = try await api.call("POST", path, json: .object(body), token: token)
            #expect(answer.status == 422 && answer["error"]?["details"]?["field"]?.stringValue == field, "\(answer.body)")
        }

        // A busy all-day offsite on 2027-01-05 blocks New York's 5 January, asked from Tokyo or anywhere.
        #expect(try await api.call("POST", path, json: ["title": "Offsite", "start": "2027-01-05", "busy": true], token: token).status == 201)
        for zone in ["Asia/Tokyo", "America/Los_Angeles"] {
            let day = try await api.call("GET", "/api/v1/calendars/freebusy?from=2027-01-04T00:00:00Z&to=2027-01-07T00:00:00Z&time_zone=\(zone)", token: token)
            let busy = day["members"]?.arrayValue?.first?["busy"]?.arrayValue ?? []
            #expect(busy.contains { $0["start"]?.stringValue.flatMap(LocalTime.instant) == LocalTime.instant("2027-01-05T05:00:00Z")
                                    && $0["end"]?.stringValue.flatMap(LocalTime.instant) == LocalTime.instant("2027-01-06T05:00:00Z") }, "\(zone): \(day.body)")
        }
    }
}

import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Google Calendar sync against a local stand-in for Google's OAuth and Calendar v3 endpoints that checks
/// the wire format (Tests/clients/google_calendar_stub.py): connecting with PKCE, a full then incremental
/// sync, a 410 resync, push notifications (and the periodic sync that catches a lost one), write-back with
/// etag preconditions, no duplicate after ten round trips, a revoked grant, and channel renewal.
@Suite struct GoogleCalendarSyncTests {
    static let client = "client-123.apps.googleusercontent.com"
    static let secret = "google-secret"
    static let publicURL = "https://api.test"

    struct World {
        let api: WorkerTestHost
        let stub: StubServer
        let token: String
        /// The primary calendar's id here.
        let calendar: String

        func call(_ method: String, _ path: String, json: JSONValue? = nil, headers: [String: String] = [:]) async throws -> TestResponse {
            try await api.call(method, "/api/v1" + path, json: json, token: token, headers: headers)
        }

        /// A control of the stub with a JSON body (`POST /_control/events?calendar=...`).
        @discardableResult
        func control(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
            var arguments = ["-s", "-X", method, stub.base + path]
            if let body {
                arguments += ["-H", "Content-Type: application/json", "--data-binary", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)]
            }
            let out = try await Subprocess.curl(arguments).stdout
            return (try? JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]) ?? [:]
        }

        func googleEvents(_ calendar: String = "ada@example.com") async throws -> [[String: Any]] {
            let out = try await Subprocess.curl(["-s", stub.base + "/_control/events?calendar=" + calendar]).stdout
            return (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]) ?? []
        }

        func list(_ from: String = "2026-11-01", _ to: String = "2027-01-01") async throws -> [JSONValue] {
            try await call("GET", "/calendars/\(calendar)/events?from=\(from)&to=\(to)&time_zone=America/New_York").data
        }

        func requests(_ method: String, _ pathSuffix: String) async throws -> [[String: Any]] {
            try await stub.requests().filter { $0["method"] as? String == method && ($0["path"] as? String)?.hasSuffix(pathSuffix) == true }
        }

        /// Runs the api worker's every-minute maintenance once, as the host's cron would.
        func sweep() async throws {
            try await calendars().maintain()
        }

        func calendars() throws -> CalendarsDomain {
            let worker = try #require(api.host.workers["api"] as? APIWorker)
            return try #require(worker.domains.compactMap { $0 as? CalendarsDomain }.first)
        }
    }

    /// A live host (Google's notifications cross a socket: the stub forwards PUBLIC_URL to it), a member
    /// connected to the stub's Google account through the browser's round trip, and their primary calendar.
    static func world(vars: [String: String] = [:], seed: (StubServer) async throws -> Void = { _ in }) async throws -> World {
        let stub = try await StubServer("google_calendar_stub.py", [client, secret])
        try await seed(stub)
        let api = try await APIHost.start(.live, vars: [
            "PUBLIC_URL": publicURL, "OAUTH_GOOGLE_CLIENT_ID": client, "OAUTH_GOOGLE_AUTHORIZE_URL": stub.base + "/o/oauth2/v2/auth",
            "OAUTH_GOOGLE_TOKEN_URL": stub.base + "/token", "GOOGLE_CALENDAR_API_BASE": stub.base + "/calendar/v3",
            "GOOGLE_OAUTH_REVOKE_URL": stub.base + "/revoke",
        ].merging(vars) { $1 }, secrets: ["OAUTH_GOOGLE_CLIENT_SECRET": secret])
        try await stub.control("/_control/forward?from=\(publicURL)&to=\(api.base)")
        let token = try #require(try await api.signUp("ada@example.com").string("access_token"))

        let connect = try await api.call("POST", "/api/v1/calendars/google/connect", token: token)
        let url = try #require(connect.string("authorize_url"), "\(connect.body)")
        for part in ["response_type=code", "client_id=\(client)", "code_challenge_method=S256", "code_challenge=", "state=", "access_type=offline",
                     "prompt=consent", "scope=openid%20email%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar",
                     "redirect_uri=https%3A%2F%2Fapi.test%2Fapi%2Fv1%2Fcalendars%2Fgoogle%2Fcallback"] {
            #expect(url.contains(part), "authorize URL has \(part): \(url)")
        }
        // The browser: Google's consent page redirects to our callback.
        let consent = try await Subprocess.curl(["-s", "-i", url])
        let location = try #require(consent.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("location:") }, "\(consent.stdout)")
        let callback = String(location.dropFirst("location: ".count)).trimmingCharacters(in: .whitespaces)
        #expect(callback.hasPrefix(publicURL + "/api/v1/calendars/google/callback?code="), "\(callback)")
        // Only in the browser that started: the cookie the connect route set is asked for.
        let cookie = try #require(connect.cookies.first?.split(separator: ";").first.map(String.init), "\(connect.cookies)")
        let elsewhere = try await api.call("GET", String(callback.dropFirst(publicURL.count)))
        #expect(elsewhere.status == 400 && elsewhere.string("error", "code") == "invalid_state", "\(elsewhere.body)")
        let connected = try await api.call("GET", String(callback.dropFirst(publicURL.count)), headers: ["Cookie": cookie])
        #expect(connected.status == 200 && connected.body.contains("connected"), "\(connected.body)")
        // The code was spent with the PKCE verifier.
        let exchange = try #require(try await stub.requests().first { $0["path"] as? String == "/token" }?["body"] as? [String: Any])
        #expect(exchange["grant_type"] as? String == "authorization_code" && (exchange["code_verifier"] as? String)?.count == 43, "\(exchange)")

        let calendars = try await api.call("GET", "/api/v1/calendars", token: token)
        let google = try #require(calendars.data.first { $0["source"] == "google" }, "\(calendars.body)")
        #expect(google["name"] == "ada@example.com" && google["time_zone"] == "America/New_York", "\(google)")
        return World(api: api, stub: stub, token: token, calendar: try #require(google["id"]?.stringValue))
    }

    /// Google events as a person makes them in Google's own pages.
    static func seed(_ stub: StubServer) async throws {
        let events: [[String: Any]] = [
            ["id": "standup", "summary": "Standup", "start": ["dateTime": "2026-12-07T09:00:00-05:00", "timeZone": "America/New_York"],
             "end": ["dateTime": "2026-12-07T09:15:00-05:00", "timeZone": "America/New_York"], "recurrence": ["RRULE:FREQ=DAILY;COUNT=5"]],
            ["id": "standup_20261208T140000Z", "recurringEventId": "standup", "summary": "Standup (moved)",
             "originalStartTime": ["dateTime": "2026-12-08T09:00:00-05:00", "timeZone": "America/New_York"],
             "start": ["dateTime": "2026-12-08T10:00:00-05:00", "timeZone": "America/New_York"],
             "end": ["dateTime": "2026-12-08T10:15:00-05:00", "timeZone": "America/New_York"]],
            ["id": "standup_20261209T140000Z", "recurringEventId": "standup", "status": "cancelled",
             "originalStartTime": ["dateTime": "2026-12-09T09:00:00-05:00", "timeZone": "America/New_York"],
             "start": ["dateTime": "2026-12-09T09:00:00-05:00", "timeZone": "America/New_York"],
             "end": ["dateTime": "2026-12-09T09:15:00-05:00", "timeZone": "America/New_York"]],
            ["id": "offsite", "summary": "Offsite", "start": ["date": "2026-12-14"], "end": ["date": "2026-12-16"]],
            ["id": "design1", "summary": "Review", "location": "Room 4", "start": ["dateTime": "2026-12-10T15:00:00Z"],
             "end": ["dateTime": "2026-12-10T16:00:00Z"], "attendees": [["email": "grace@example.com", "responseStatus": "accepted"]]],
        ]
        for event in events {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
            let out = try await Subprocess.curl(["-s", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
                                                 stub.base + "/_control/events?calendar=ada@example.com"])
            #expect(out.stdout.contains("\"id\""), "\(out.stdout)")
        }
    }

    static func titles(_ occurrences: [JSONValue]) -> [String] {
        occurrences.compactMap { $0["title"]?.stringValue }
    }

    @Test func aFullSyncThenPushesIncrementalSyncsAndAResyncAfterA410() async throws {
        let w = try await Self.world(seed: { stub in
            try await Self.seed(stub)
            try await stub.control("/_control/page-size?n=2")
        })
        defer { Task { await w.api.stop() } }
        // Connecting queued the first (full) sync, paged two at a time; its end is marked once every page is in.
        #expect(try await Poll.until { try await w.call("GET", "/calendars/google")["calendars"]?.arrayValue?.first?["synced_at"] != nil })
        let first = try await w.list()
        #expect(Self.titles(first) == ["Standup", "Standup (moved)", "Standup", "Review", "Standup", "Offsite"], "\(first)")
        let moved = try #require(first.first { $0["title"] == "Standup (moved)" })
        #expect(moved["start"] == "2026-12-08T10:00:00-05:00" && moved["original_start"] == "2026-12-08T09:00:00", "\(moved)")
        let review = try #require(first.first { $0["title"] == "Review" })
        #expect(review["start"] == "2026-12-10T10:00:00-05:00", "\(review)")
        let lists = try await w.requests("GET", "/calendars/ada%40example.com/events")
        let full = try #require(lists.first?["query"] as? [String: [String]])
        #expect(full["syncToken"] == nil && full["showDeleted"] == ["true"] && full["maxResults"] == ["250"], "\(full)")
        #expect(lists.allSatisfy { ($0["authorization"] as? String)?.hasPrefix("Bearer ya29.") == true })

        // Google's push: a change there reaches us through the channel, and an incremental sync brings it.
        let channels = try await w.stub.requests().filter { ($0["path"] as? String)?.hasSuffix("/events/watch") == true }
        let watch = try #require(channels.first?["body"] as? [String: Any])
        #expect(watch["type"] as? String == "web_hook" && watch["address"] as? String == Self.publicURL + "/api/v1/calendars/google/notifications"
                && (watch["token"] as? String)?.isEmpty == false, "\(watch)")
        try await w.control("PATCH", "/_control/events/ada@example.com/design1", ["summary": "Design review"])
        #expect(try await Poll.until { Self.titles(try await w.list()).contains("Design review") })
        let incremental = try await w.requests("GET", "/calendars/ada%40example.com/events").last?["query"] as? [String: [String]]
        #expect(incremental?["syncToken"]?.isEmpty == false && incremental?["showDeleted"] == nil, "\(incremental ?? [:])")
        let sent = try await Subprocess.curl(["-s", w.stub.base + "/_control/notifications-sent"]).stdout
        #expect(sent.contains("\"exists\"") && !sent.contains("\"status\": 403"), "\(sent)")

        // A notification that is lost: the periodic sync still brings the change.
        try await w.stub.control("/_control/notifications?mode=drop")
        try await w.control("POST", "/_control/events?calendar=ada@example.com", [
            "summary": "Lunch", "start": ["dateTime": "2026-12-11T12:00:00-05:00"], "end": ["dateTime": "2026-12-11T13:00:00-05:00"],
        ])
        try await w.control("DELETE", "/_control/events/ada@example.com/offsite")
        #expect(!Self.titles(try await w.list()).contains("Lunch"), "no push, no sync yet")
        // Sync tokens go void (Google drops them now and then): the next sync is a full one, and what was
        // deleted meanwhile goes here too; nothing is doubled.
        try await w.stub.control("/_control/invalidate-sync-tokens")
        let listedBefore = try await w.requests("GET", "/calendars/ada%40example.com/events").count
        let resynced = try await w.call("POST", "/calendars/google/sync")
        #expect(resynced.status == 200 && resynced["calendars"]?.arrayValue?.first?["sync_error"] == nil, "\(resynced.body)")
        let after = Self.titles(try await w.list())
        #expect(after.sorted() == ["Design review", "Lunch", "Standup", "Standup", "Standup", "Standup (moved)"], "\(after)")
        let later = try await w.requests("GET", "/calendars/ada%40example.com/events").dropFirst(listedBefore).map { $0["query"] as? [String: [String]] ?? [:] }
        #expect(later.first?["syncToken"] != nil && later.dropFirst().first?["syncToken"] == nil && later.dropFirst().first?["pageToken"] == nil,
                "the refused sync token was followed by a full listing: \(later)")

        // Forged and unknown notifications are refused.
        let channel = try #require(try await w.stub.requests().last { ($0["path"] as? String)?.hasSuffix("/events/watch") == true }?["body"] as? [String: Any])
        let forged = try await w.api.call("POST", "/api/v1/calendars/google/notifications",
                                          headers: ["X-Goog-Channel-ID": channel["id"] as? String ?? "", "X-Goog-Channel-Token": "guess", "X-Goog-Resource-State": "exists"])
        #expect(forged.status == 403, "\(forged.body)")
        let unknown = try await w.api.call("POST", "/api/v1/calendars/google/notifications", headers: ["X-Goog-Channel-ID": "nope", "X-Goog-Channel-Token": "x"])
        #expect(unknown.status == 404, "\(unknown.body)")
    }

    @Test func aLostNotificationIsCaughtByThePeriodicSync() async throws {
        let w = try await Self.world(vars: ["GOOGLE_CALENDAR_SYNC_MINUTES": "0"])
        defer { Task { await w.api.stop() } }
        #expect(try await Poll.until { try await w.call("GET", "/calendars/google")["calendars"]?.arrayValue?.first?["synced_at"] != nil })
        try await w.stub.control("/_control/notifications?mode=drop")
        try await w.control("POST", "/_control/events?calendar=ada@example.com", [
            "summary": "Dentist", "start": ["dateTime": "2026-12-11T08:00:00-05:00"], "end": ["dateTime": "2026-12-11T09:00:00-05:00"],
        ])
        try await w.sweep()
        #expect(try await Poll.until { Self.titles(try await w.list()) == ["Dentist"] })
    }

    @Test func writesGoBackWithEtagsAndTenRoundTripsMakeNoDuplicate() async throws {
        let w = try await Self.world()
        defer { Task { await w.api.stop() } }
        #expect(try await Poll.until { try await w.call("GET", "/calendars/google")["calendars"]?.arrayValue?.first?["synced_at"] != nil })

        // Made here: in Google first, with an id derived from ours (a retried insert cannot make two).
        let made = try await w.call("POST", "/calendars/\(w.calendar)/events", json: [
            "title": "Planning", "start": "2026-12-15T09:00", "end": "2026-12-15T10:00", "time_zone": "America/New_York",
            "attendees": [["email": "grace@example.com"]],
        ])
        #expect(made.status == 201, "\(made.body)")
        let id = try #require(made.string("id"))
        let insert = try #require(try await w.requests("POST", "/calendars/ada%40example.com/events").first?["body"] as? [String: Any])
        let googleID = try #require(insert["id"] as? String)
        #expect(googleID.count == 32 && googleID.allSatisfy { "0123456789abcdef".contains($0) }, "\(googleID)")
        #expect(insert["summary"] as? String == "Planning" && (insert["start"] as? [String: Any])?["dateTime"] as? String == "2026-12-15T09:00:00-05:00"
                && (insert["start"] as? [String: Any])?["timeZone"] as? String == "America/New_York", "\(insert)")

        // Changed here: a PATCH naming the etag Google gave.
        let googleEtag = try #require(try await w.googleEvents().first { $0["id"] as? String == googleID }?["etag"] as? String)
        let renamed = try await w.call("PATCH", "/calendars/events/\(id)", json: ["title": "Planning v2"], headers: ["If-Match": try #require(made.string("etag"))])
        #expect(renamed.status == 200 && renamed.string("title") == "Planning v2", "\(renamed.body)")
        let patch = try #require(try await w.requests("PATCH", "/events/\(googleID)").last)
        #expect(patch["if_match"] as? String == googleEtag && (patch["body"] as? [String: Any])?["summary"] as? String == "Planning v2", "\(patch)")
        #expect((patch["body"] as? [String: Any]).map { Array($0.keys) } == ["summary"], "only what changed goes: \(patch)")

        // Changed in Google meanwhile (its notification lost): our If-Match no longer holds. Google's version is
        // taken, the caller who named a version gets 412; one who did not has the change made again on it.
        try await w.stub.control("/_control/notifications?mode=drop")
        try await w.control("PATCH", "/_control/events/ada@example.com/\(googleID)", ["summary": "Planning (Google)", "location": "Room 9"])
        let stale = try await w.call("PATCH", "/calendars/events/\(id)", json: ["title": "Mine"], headers: ["If-Match": try #require(renamed.string("etag"))])
        #expect(stale.status == 412, "\(stale.body)")
        let current = try await w.call("GET", "/calendars/events/\(id)")
        #expect(current.string("title") == "Planning (Google)" && current.string("location") == "Room 9" && current.headers["etag"] == stale.headers["etag"],
                "\(current.body)")
        let again = try await w.call("PATCH", "/calendars/events/\(id)", json: ["title": "Mine"])
        #expect(again.status == 200 && again.string("location") == "Room 9", "\(again.body)")
        #expect(try await w.googleEvents().first { $0["id"] as? String == googleID }?["summary"] as? String == "Mine")

        // A change read before a sync brought Google's newer version here is refused, not sent to Google with
        // the newer etag (which Google would take, losing a change the caller never saw).
        let calendars = try w.calendars()
        let workspace = try #require(try await calendars.events.database.prepare("SELECT workspace_id FROM calendar_events WHERE id = ?").bind(id).first()?
            .text("workspace_id"))
        let read = try #require(try await calendars.events.get(TenantScope(workspaceID: workspace), id: id))
        try await w.control("PATCH", "/_control/events/ada@example.com/\(googleID)", ["location": "Room 10"])
        #expect(try await w.call("POST", "/calendars/google/sync").status == 200)
        do {
            _ = try await calendars.events.googleIdentity(read)
            Issue.record("the Google etag of a version moved on was given out")
        } catch let error as APIError {
            #expect(error.status == 412, "\(error)")
        }
        try await w.stub.control("/_control/notifications?mode=send")

        // Ten round trips each way, with pushes and syncs between: one event here, one in Google.
        for round in 1...10 {
            let here = try await w.call("PATCH", "/calendars/events/\(id)", json: ["title": .string("Here \(round)")])
            #expect(here.status == 200, "round \(round): \(here.body)")
            try await w.control("PATCH", "/_control/events/ada@example.com/\(googleID)", ["summary": "There \(round)"])
            #expect(try await Poll.until { try await w.call("GET", "/calendars/events/\(id)").string("title") == "There \(round)" })
            #expect(try await w.call("POST", "/calendars/google/sync").status == 200)
        }
        let google = try await w.googleEvents().filter { $0["status"] as? String != "cancelled" }
        let here = try await w.list()
        #expect(google.count == 1 && here.count == 1 && here.first?["event_id"]?.stringValue == id, "\(google.count) in Google, \(here)")

        // One occurrence of a series changed here: Google's instance of it is patched.
        let series = try await w.call("POST", "/calendars/\(w.calendar)/events", json: [
            "title": "1:1", "start": "2026-12-16T11:00", "end": "2026-12-16T11:30", "recurrence": "FREQ=WEEKLY;COUNT=3",
        ])
        let seriesID = try #require(series.string("id"), "\(series.body)")
        let seriesGoogle = GoogleWriteBack.googleID(for: seriesID)
        let occurrence = try await w.call("PUT", "/calendars/events/\(seriesID)/occurrences/2026-12-23T11:00:00", json: ["start": "2026-12-23T14:00"])
        #expect(occurrence.status == 200, "\(occurrence.body)")
        let instance = try #require(try await w.requests("PATCH", "/events/\(seriesGoogle)_20261223T160000Z").last?["body"] as? [String: Any])
        #expect((instance["start"] as? [String: Any])?["dateTime"] as? String == "2026-12-23T14:00:00-05:00", "\(instance)")
        #expect(try await w.call("DELETE", "/calendars/events/\(seriesID)/occurrences/2026-12-30T11:00:00").status == 200)
        #expect(try await w.googleEvents().first { $0["id"] as? String == "\(seriesGoogle)_20261230T160000Z" }?["status"] as? String == "cancelled")
        #expect(try await w.call("POST", "/calendars/google/sync").status == 200)
        let occurrences = try await w.list().filter { $0["title"] == "1:1" }
        #expect(occurrences.compactMap { $0["start"]?.stringValue } == ["2026-12-16T11:00:00-05:00", "2026-12-23T14:00:00-05:00"], "\(occurrences)")

        // Deleted here: deleted (cancelled) in Google.
        #expect(try await w.call("DELETE", "/calendars/events/\(id)").status == 204)
        #expect(try await w.googleEvents().first { $0["id"] as? String == googleID }?["status"] as? String == "cancelled")
    }

    @Test func anExpiredAccessTokenIsRefreshedAndARevokedGrantShowsAsDisconnected() async throws {
        let w = try await Self.world()
        defer { Task { await w.api.stop() } }
        #expect(try await Poll.until { try await w.call("GET", "/calendars/google")["calendars"]?.arrayValue?.first?["synced_at"] != nil })
        try await w.stub.control("/_control/expire-access-tokens")
        #expect(try await w.call("POST", "/calendars/google/sync").status == 200)
        let refresh = try await w.stub.requests().filter { $0["path"] as? String == "/token" }.compactMap { $0["body"] as? [String: Any] }
        #expect(refresh.contains { $0["grant_type"] as? String == "refresh_token" && $0["client_secret"] as? String == Self.secret }, "\(refresh)")

        // Another of the account's calendars is chosen (and synced); one shared for free/busy only cannot be.
        let listed = try await w.call("GET", "/calendars/google/calendars")
        #expect(listed.data.map { $0["google_calendar_id"]?.stringValue ?? "" }.sorted()
                == ["ada@example.com", "busy@group.calendar.google.com", "team@group.calendar.google.com"], "\(listed.body)")
        #expect(listed.data.first { $0["primary"] == true }?["calendar_id"]?.stringValue == w.calendar)
        let team = try await w.call("POST", "/calendars/google/calendars", json: ["google_calendar_id": "team@group.calendar.google.com"])
        #expect(team.status == 201 && team.string("source") == "google" && team.string("time_zone") == "Europe/Berlin", "\(team.body)")
        let busyOnly = try await w.call("POST", "/calendars/google/calendars", json: ["google_calendar_id": "busy@group.calendar.google.com"])
        #expect(busyOnly.status == 422 && busyOnly.body.contains("free/busy"), "\(busyOnly.body)")
        #expect(try await Poll.until { try await w.call("GET", "/calendars/google")["calendars"]?.arrayValue?.allSatisfy { $0["synced_at"] != nil } == true })

        // Rate limited: the same request again after a pause (Google's exponential backoff).
        let before = try await w.requests("GET", "/calendars/ada%40example.com/events").count
        try await w.stub.control("/_control/fail?status=429&times=1&path=/calendar/v3/calendars/ada")
        #expect(try await w.call("POST", "/calendars/google/sync").status == 200)
        let lists = try await w.requests("GET", "/calendars/ada%40example.com/events").dropFirst(before).map { $0["query"] as? [String: [String]] ?? [:] }
        #expect(lists.count == 2 && lists[0] == lists[1], "\(lists)")

        try await w.stub.control("/_control/revoke")
        let refused = try await w.call("POST", "/calendars/google/sync")
        #expect(refused.status == 409 && refused["error"]?["details"]?["state"] == "disconnected", "\(refused.body)")
        let status = try await w.call("GET", "/calendars/google")
        #expect(status.string("status") == "disconnected" && status.string("reason") == "revoked" && status.string("email") == "ada@example.com", "\(status.body)")
        let write = try await w.call("POST", "/calendars/\(w.calendar)/events", json: ["title": "x", "start": "2026-12-15T09:00"])
        #expect(write.status == 409, "\(write.body)")
        // The calendar stays, with what was synced; disconnecting removes it.
        #expect(try await w.call("DELETE", "/calendars/google").status == 204)
        #expect(try await w.call("GET", "/calendars").data.count == 1)
        #expect(try await w.call("GET", "/calendars/google").string("status") == "not_connected")
    }

    /// How Google's events read here: only a public one shows its details to the workspace, and an event is busy
    /// unless Google says transparent (it leaves out its default, opaque); a recurring one keeps its EXDATEs.
    @Test func googleEventsReadAsGoogleMeansThem() throws {
        let json = try JSONValue(jsonBytes: Array("""
            {"id": "abc123", "etag": "e7", "status": "confirmed", "updated": "2026-12-03T10:00:00.123Z", "summary": "  ",
             "start": {"date": "2026-12-14"}, "end": {"date": "2026-12-16"},
             "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE;VALUE=DATE:20261221"],
             "attendees": [{"email": "Grace@Example.com", "responseStatus": "maybe"}, {"email": "grace@example.com"}]}
            """.utf8))
        let event = try #require(GoogleEvent(json))
        #expect(event.isPrivate && event.title == "(No title)" && event.updatedMs == 1_796_292_000_123)
        #expect(event.attendees == [Attendee(email: "grace@example.com", name: nil, response_status: "needsAction")])
        let fields = try #require(event.fields(calendarZone: "Europe/Berlin"))
        #expect(fields.busy && fields.allDay && fields.timeZone == nil && fields.recurrence?.text == "FREQ=WEEKLY;COUNT=3")
        #expect(fields.excluded == [LocalTime.date("2026-12-21")!])
        let shared = try #require(GoogleEvent(try JSONValue(jsonBytes: Array("""
            {"id": "def456", "visibility": "public", "transparency": "transparent",
             "start": {"dateTime": "2026-12-10T15:00:00Z"}, "end": {"dateTime": "2026-12-10T16:00:00Z"}}
            """.utf8))))
        let timed = try #require(shared.fields(calendarZone: "America/New_York"))
        #expect(!shared.isPrivate && !timed.busy && timed.timeZone == "America/New_York" && LocalTime.text(timed.start) == "2026-12-10T10:00:00")
        // An instance id names its occurrence's original start in UTC (timed) or its date (all-day).
        #expect(GoogleTime.instanceSuffix(LocalTime.dateTime("2026-12-23T11:00:00")!, allDay: false, zone: ZoneRules.named("America/New_York")!)
                == "20261223T160000Z")
        #expect(GoogleTime.instanceSuffix(LocalTime.date("2026-12-23")!, allDay: true, zone: .utc) == "20261223")
    }

    @Test func channelsAreRenewedBeforeTheyExpire() async throws {
        let w = try await Self.world(seed: { stub in try await stub.control("/_control/ttl?seconds=8") })
        defer { Task { await w.api.stop() } }
        // One channel: on a starved machine the host's own sweep may already be renewing it when the test
        // first looks (the new channel made, the old not yet stopped), so the look waits for that to end.
        var first = ""
        var firstIDs: [String] = []
        #expect(try await Poll.until(interval: .milliseconds(100)) {
            first = try await Subprocess.curl(["-s", w.stub.base + "/_control/channels"]).stdout
            firstIDs = ((try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            return firstIDs.count == 1
        }, "\(first)")
        // Renewed with a quarter of its life left: the sweep makes a new channel, then stops the old one. Two
        // sweeps at once (two hosts, or the host's own beside the test's) replace it once between them.
        #expect(try await Poll.until(interval: .milliseconds(250)) {
            async let one: Void = w.sweep()
            async let other: Void = w.sweep()
            _ = try await (one, other)
            let now = try await Subprocess.curl(["-s", w.stub.base + "/_control/channels"]).stdout
            let ids = ((try JSONSerialization.jsonObject(with: Data(now.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            return ids.count == 1 && ids != firstIDs
        })
        // The channel seen first was stopped, and no channel twice (a starved machine may have renewed more
        // often, the host's own sweep even before the test first looked).
        let stopped = try await w.requests("POST", "/channels/stop").compactMap { ($0["body"] as? [String: Any])?["id"] as? String }
        #expect(firstIDs.first.map(stopped.contains) == true && Set(stopped).count == stopped.count, "\(stopped)")
    }
}

import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The console's other sections in process: the team's week, local SEO's heatmap and trends with a scan
/// started from the page, a video rendered from its page and shown in a player, and the platform's page
/// for platform admins only.
@Suite struct ConsoleSectionTests {
    @Test func theTeamsWeekShowsEachDaysEvents() async throws {
        // Wednesday 2026-12-02 12:00 UTC: the week shown by default is Monday 2026-11-30 to Sunday 2026-12-06.
        let clock = ManualClock(milliseconds: 1_796_212_800_000)
        let api = try await APIHost.start(clock: clock)
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        let calendar = try #require(try await api.call("GET", "/api/v1/calendars", token: s.token).data.first?["id"]?.stringValue)
        for event: JSONValue in [["title": "Planning <weekly>", "start": "2026-12-01T09:00", "end": "2026-12-01T10:00"],
                                 ["title": "Offsite", "start": "2026-12-03", "end": "2026-12-05"],
                                 ["title": "Next week", "start": "2026-12-08T09:00", "end": "2026-12-08T09:30"]] {
            #expect(try await api.call("POST", "/api/v1/calendars/\(calendar)/events", json: event, token: s.token).status == 201)
        }
        let week = try await s.get("/console/calendars")
        #expect(week.status == 200 && week.body.contains("<time datetime=\"2026-11-30\">11-30</time>") && week.body.contains("aria-current=\"date\""), "\(week.body)")
        #expect(week.body.contains("09:00</time>–") && week.body.contains("Planning &lt;weekly&gt;") && !week.body.contains("Next week</li>"))
        #expect(week.body.components(separatedBy: "All day: Offsite").count == 3, "the all-day event on both of its days")
        let next = try await s.get("/console/calendars?week=2026-12-09")
        #expect(next.body.contains("Next week</li>") && !next.body.contains("Offsite") && next.body.contains("?week=2026-11-30"))
        #expect(try await s.get("/console/calendars?week=2026-13-01").status == 422)
    }

    @Test func aTrackersHeatmapAndTrendsFollowItsScans() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        let (_, tracker) = try await LocalSEOTests.setUp(api, s.token)
        let trackers = try await s.get("/console/seo").body
        #expect(trackers.contains("&lt;Pizza&gt;</a>") && trackers.contains("pizza, pizza delivery"), "\(trackers)")
        let empty = try await s.get("/console/seo/trackers/\(tracker)")
        #expect(empty.body.contains("No finished scan yet") && empty.body.contains("Not scanned yet"))
        for _ in 0..<2 {
            #expect(try await s.post("/console/seo/trackers/\(tracker)/scans", [("keyword", "pizza delivery")]).headers["location"]
                    == "/console/seo/trackers/\(tracker)?keyword=pizza%20delivery")
            let scan = try #require(try await api.call("GET", "/api/v1/seo/scans?tracker_id=\(tracker)", token: s.token).data.last?["id"]?.stringValue)
            #expect(try await LocalSEOTests.finished(api, s.token, scan).string("status") == "finished")
        }
        let page = try await s.get("/console/seo/trackers/\(tracker)?keyword=pizza%20delivery")
        #expect(page.body.contains("/heatmap.svg?keyword=pizza%20delivery") && page.body.contains("<polyline") && page.body.contains("Share of local voice"), "\(page.body)")
        #expect(page.body.contains("aria-current=\"page\">pizza delivery<"))
        #expect(try await s.get("/console/seo/trackers/\(tracker)?part=scan").body.contains("The latest scan finished"))
        #expect(try await s.get("/console/seo/trackers/\(tracker)?keyword=tacos").status == 422)
    }

    @Test func theLineChartBreaksAtAMissingValueAndPutsTheBestRankOnTop() {
        let chart = LineChart(title: "Rank", measure: "rank", slots: ["a", "b", "c", "d"], values: [1, 21, nil, 5], low: 1, high: 21, inverted: true).html.text
        #expect(chart.components(separatedBy: "<polyline").count == 2, "one line for a and b; d stands alone")
        #expect(chart.contains("cy=\"12.0\"") && chart.contains("<td>—</td>"), "rank 1 at the top; the gap in the table")
    }

    @Test func aVideoIsRenderedFromItsPageAndPlays() async throws {
        let api = try await APIHost.start(.live)
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        let made = try await api.call("POST", "/api/v1/video/projects", json: [
            "name": "Teaser", "aspect_ratio": "1:1", "resolution": 360, "duration": 1,
            "tracks": [["kind": "text", "clips": [["text": "Hello", "start": 0, "duration": 1]]]],
        ], token: s.token)
        let id = try #require(made.string("id"), "\(made.body)")
        #expect(try await s.get("/console/video").body.contains("href=\"/console/video/projects/\(id)\""))
        #expect(try await s.get("/console/video/projects/\(id)").body.contains("Not rendered yet"))
        #expect(try await s.post("/console/video/projects/\(id)/renders", [("quality", "ultra")]).status == 422)
        #expect(try await s.post("/console/video/projects/\(id)/renders", [("quality", "draft")]).status == 303)
        var part = ""
        #expect(try await Poll.until(timeout: .seconds(180)) {
            part = try await s.get("/console/video/projects/\(id)?part=renders").body
            return part.contains("<video") || part.contains("failed")
        }, "\(part)")
        let render = try #require(part.range(of: "/api/v1/video/renders/").map { String(part[$0.upperBound...].prefix { $0 != "/" }) })
        #expect(part.contains("src=\"/api/v1/video/renders/\(render)/video\"") && part.contains("poster=") && !part.contains("failed"), "\(part)")
        let file = try await api.call("GET", "/api/v1/video/renders/\(render)/video", headers: s.jar.header.merging(["Range": "bytes=0-99"]) { $1 })
        #expect(file.status == 206 && file.headers["content-type"] == "video/mp4", "the player's request with the session cookie")
    }

    @Test func thePlatformPageIsForPlatformAdminsOnly() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(api)
        #expect(try await s.get("/console/admin").status == 403)
        #expect(!(try await s.get("/console/contacts").body.contains("href=\"/console/admin\"")))
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        #expect(try await worker.grantPlatformAdmin(email: "owner@example.com"))
        let book = try await api.call("POST", "/api/v1/admin/books", json: ["title": "Psalms <in> a month", "published": false], token: s.token)
        let bookID = try #require(book.string("id"), "\(book.body)")
        let page = try await s.get("/console/admin?window=7d")
        #expect(page.status == 200 && page.body.contains("Due to sent, p99") && page.body.contains("Psalms &lt;in&gt; a month"), "\(page.body)")
        #expect(try await s.get("/console/contacts").body.contains("href=\"/console/admin\""))
        #expect(try await s.get("/console/admin?window=2y").status == 422)
        #expect(try await s.post("/console/admin/books/\(bookID)", [("published", "1")]).status == 303)
        #expect(try await api.call("GET", "/api/v1/admin/books/\(bookID)", token: s.token)["published"] == true)
        #expect(try await s.get("/console/admin/books/\(bookID)").body.contains("Unpublish"))
    }
}

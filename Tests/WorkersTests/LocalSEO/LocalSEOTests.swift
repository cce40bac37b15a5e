import Foundation
import Logging
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Local SEO's pure parts (the grid's geometry, the metrics, schedules, the heatmap) and its routes with
/// the simulated provider: setup, a scan on demand, a scheduled one, competitors, trends, bad input.
@Suite struct LocalSEOTests {
    @Test func theGridIsCentredOnTheBusinessWithItsSpacing() {
        let grid = ScanGrid(size: 7, spacing: 1, unit: "mi", zoom: 13)
        let points = grid.points(latitude: 40.7128, longitude: -74.006)
        #expect(points.count == 49)
        #expect(points[24].latitude == 40.7128 && points[24].longitude == -74.006 && points[24].row == 3 && points[24].col == 3)
        // North first, west first; neighbours a mile (1.609 km) apart, across and down.
        #expect(points[0].latitude > points[48].latitude && points[0].longitude < points[48].longitude)
        for (a, b) in [(points[24], points[25]), (points[24], points[31]), (points[0], points[1])] {
            let km = SimulatedMapsProvider.kilometres(a.latitude, a.longitude, b.latitude, b.longitude)
            #expect(abs(km - 1.609344) < 0.002, "\(km)")
        }
        // The corner is 3 miles north and 3 west: 3 * sqrt(2) miles from the centre.
        #expect(abs(SimulatedMapsProvider.kilometres(points[0].latitude, points[0].longitude, 40.7128, -74.006) - 3 * 2.0.squareRoot() * 1.609344) < 0.01)
    }

    @Test func metricsFollowTheirFormulas() {
        // Found at 1, 2, 5 and 20; not found at two points: ARP (1+2+5+20)/4 = 7, ATRP (28+21+21)/6 = 11.67,
        // SoLV 2 of 6 in the top three = 33.33%.
        let metrics = RankMetrics(ranks: [1, 2, nil, 5, 20, nil])
        #expect(metrics == RankMetrics(ranks: [1, 2, nil, 5, 20, nil]))
        #expect(metrics.points == 6 && metrics.found == 4 && metrics.arp == 7 && metrics.atrp == 11.67 && metrics.solv == 33.33)
        let nowhere = RankMetrics(ranks: [nil, nil])
        #expect(nowhere.arp == nil && nowhere.atrp == 21 && nowhere.solv == 0)
    }

    @Test func schedulesRunOnTheirDays() {
        let day = CivilDate.day("2026-12-03")!  // a Thursday
        #expect(SEOTracker.isDue(.init(frequency: "daily", day: 1), day: day))
        #expect(SEOTracker.isDue(.init(frequency: "weekly", day: 4), day: day))
        #expect(!SEOTracker.isDue(.init(frequency: "weekly", day: 1), day: day))
        #expect(SEOTracker.isDue(.init(frequency: "monthly", day: 3), day: day))
        #expect(!SEOTracker.isDue(.init(frequency: "monthly", day: 4), day: day))
        #expect(!SEOTracker.isDue(.init(frequency: "none", day: 3), day: day))
    }

    static func setUp(_ api: WorkerTestHost, _ token: String, grid: JSONValue = ["size": 3, "spacing": 2, "unit": "km", "zoom": 13],
                      keywords: [String] = ["pizza", "pizza delivery"], cid: String = "555000111") async throws -> (business: String, tracker: String) {
        let business = try await api.call("POST", "/api/v1/seo/businesses", json: [
            "name": "Joe's <Pizza>", "cid": .string(cid), "latitude": 40.7128, "longitude": -74.006,
        ], token: token)
        #expect(business.status == 201, "\(business.body)")
        let tracker = try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": .string(try #require(business.string("id"))), "keywords": .array(keywords.map(JSONValue.string)), "grid": grid,
            "schedule": ["frequency": "weekly", "day": 4],
        ], token: token)
        #expect(tracker.status == 201, "\(tracker.body)")
        return (try #require(business.string("id")), try #require(tracker.string("id")))
    }

    static func finished(_ api: WorkerTestHost, _ token: String, _ scan: String) async throws -> TestResponse {
        var answer = TestResponse(status: 0, body: "")
        _ = try await Poll.until(timeout: .seconds(120)) {
            answer = try await api.call("GET", "/api/v1/seo/scans/\(scan)", token: token)
            return ["finished", "failed"].contains(answer.string("status") ?? "")
        }
        return answer
    }

    @Test func aSimulatedScanGivesRanksMetricsCompetitorsAndAHeatmap() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("seo@example.com").string("access_token"))
        let (_, tracker) = try await Self.setUp(api, token)
        let started = try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token)
        #expect(started.status == 202 && started["progress"]?["total"] == 18, "\(started.body)")
        let scanID = try #require(started.string("id"))
        let scan = try await Self.finished(api, token, scanID)
        #expect(scan.string("status") == "finished" && scan["searches_used"] == 18 && scan["progress"]?["done"] == 18, "\(scan.body)")
        let metrics = try #require(scan["metrics"]?.arrayValue)
        #expect(metrics.map { $0["keyword"]?.stringValue } == ["pizza", "pizza delivery"])

        // The metrics are those of the points the scan answers.
        let points = try await api.call("GET", "/api/v1/seo/scans/\(scanID)/points?keyword=pizza", token: token).data
        #expect(points.count == 9 && points[4]["rank"]?.numberValue.map { $0 <= 2 } == true, "the centre is the business: \(points)")
        let ranks = points.map { $0["rank"]?.numberValue.map { Int($0) } }
        let expected = RankMetrics(ranks: ranks)
        #expect(metrics[0]["atrp"]?.numberValue == expected.atrp && metrics[0]["solv"]?.numberValue == expected.solv && metrics[0]["found"]?.numberValue == Double(expected.found))

        let competitors = try await api.call("GET", "/api/v1/seo/scans/\(scanID)/competitors?keyword=pizza&limit=5", token: token)
        #expect(competitors.data.count == 5 && competitors.data.allSatisfy { $0["title"]?.stringValue != "Joe's <Pizza>" }, "\(competitors.body)")

        let svg = try await api.call("GET", "/api/v1/seo/scans/\(scanID)/heatmap.svg?keyword=pizza%20delivery", token: token)
        #expect(svg.status == 200 && svg.headers["content-type"]?.hasPrefix("image/svg+xml") == true)
        #expect(svg.body.hasPrefix("<svg") && svg.body.contains("Joe&apos;s &lt;Pizza&gt;") == false && svg.body.contains("Joe's &lt;Pizza&gt;: pizza delivery"))
        #expect(svg.body.components(separatedBy: "<circle").count == 10)
        #expect(try await api.call("GET", "/api/v1/seo/scans/\(scanID)/points?keyword=tacos", token: token).status == 404)

        // A second scan: the trend has both, oldest first.
        let again = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token).string("id"))
        _ = try await Self.finished(api, token, again)
        let trend = try await api.call("GET", "/api/v1/seo/trackers/\(tracker)/trends?keyword=pizza", token: token).data
        #expect(trend.map { $0["scan_id"]?.stringValue } == [scanID, again], "\(trend)")

        // Another workspace sees none of it.
        let other = try #require(try await api.signUp("other@example.com").string("access_token"))
        for path in ["/api/v1/seo/scans/\(scanID)", "/api/v1/seo/trackers/\(tracker)", "/api/v1/seo/scans/\(scanID)/heatmap.svg"] {
            #expect(try await api.call("GET", path, token: other).status == 404)
        }
        #expect(try await api.call("GET", "/api/v1/seo/scans", token: other).data.isEmpty)
    }

    @Test func badSetupIsRefusedByName() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("seo@example.com").string("access_token"))
        let noID = try await api.call("POST", "/api/v1/seo/businesses", json: ["name": "X", "latitude": 1, "longitude": 2], token: token)
        #expect(noID.status == 422 && noID.body.contains("place_id"), "\(noID.body)")
        #expect(try await api.call("POST", "/api/v1/seo/businesses", json: ["name": "X", "cid": "1", "latitude": 91, "longitude": 2], token: token).status == 422)
        let (business, _) = try await Self.setUp(api, token)
        let even = try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": .string(business), "keywords": ["pizza"], "grid": ["size": 4, "spacing": 1, "unit": "km", "zoom": 13],
        ], token: token)
        #expect(even.status == 422 && even.body.contains("grid.size"), "\(even.body)")
        let none = try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": .string(business), "keywords": [], "grid": ["size": 3, "spacing": 1, "unit": "km", "zoom": 13],
        ], token: token)
        #expect(none.status == 422 && none.body.contains("keywords"), "\(none.body)")
        let stranger = try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": "seob_nope", "keywords": ["pizza"], "grid": ["size": 3, "spacing": 1, "unit": "km", "zoom": 13],
        ], token: token)
        #expect(stranger.status == 422 && stranger.body.contains("business_id"), "\(stranger.body)")
        let monthly = try await api.call("POST", "/api/v1/seo/trackers", json: [
            "business_id": .string(business), "keywords": ["pizza"], "grid": ["size": 3, "spacing": 1, "unit": "km", "zoom": 13],
            "schedule": ["frequency": "monthly", "day": 0],
        ], token: token)
        #expect(monthly.status == 422 && monthly.body.contains("schedule.day"), "\(monthly.body)")
    }

    @Test func theSixOClockTriggerScansWhatIsDueOnceADay() async throws {
        let api = try await APIHost.start()
        defer { Task { await api.stop() } }
        let token = try #require(try await api.signUp("seo@example.com").string("access_token"))
        let (_, tracker) = try await Self.setUp(api, token)  // weekly on Thursdays
        let worker = try #require(api.host.workers["api"] as? APIWorker)
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let context = RequestContext(requestID: "cron", worker: "api", loop: group.loops[0], logger: Logger(label: "cron"))
        let thursday = Int64(CivilDate.day("2026-12-03")!) * 86_400 + 6 * 3600
        try await worker.scheduled(ScheduledEvent(cron: "0 6 * * *", scheduledTime: thursday - 86_400), context: context)  // Wednesday: not due
        #expect(try await api.call("GET", "/api/v1/seo/scans", token: token).data.isEmpty)
        try await worker.scheduled(ScheduledEvent(cron: "0 6 * * *", scheduledTime: thursday), context: context)
        try await worker.scheduled(ScheduledEvent(cron: "0 6 * * *", scheduledTime: thursday), context: context)  // fired twice: one scan
        let scans = try await api.call("GET", "/api/v1/seo/scans?tracker_id=\(tracker)", token: token).data
        #expect(scans.count == 1 && scans.first?["trigger"] == "scheduled" && scans.first?["scheduled_for"] == "2026-12-03", "\(scans)")
        let done = try await Self.finished(api, token, try #require(scans.first?["id"]?.stringValue))
        #expect(done.string("status") == "finished")
    }
}

/// The heatmap as a person sees it: Chromium renders the SVG (Tests/clients/heatmap_render.py) and each
/// disc has its rank's colour. The PNG is kept under the system's temporary folder to look at.
@Suite struct HeatmapRenderTests {
    @Test func chromiumDrawsEachPointInItsRanksColour() async throws {
        let points = (0..<9).map { index -> ScanPoint in
            let ranks: [Int?] = [1, 5, 9, 15, nil, 2, 20, nil, 3]
            return ScanPoint(row: index / 3, col: index % 3, done: true, rank: ranks[index])
        }
        let svg = Heatmap.svg(keyword: "pizza & pasta", business: "Joe's <Pizza>", points: points, size: 3, metrics: RankMetrics(ranks: points.map(\.rank)))
        let folder = NSTemporaryDirectory() + "ozzi-heatmap-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try svg.write(toFile: folder + "/heatmap.svg", atomically: true, encoding: .utf8)
        // Each disc's centre, less a little to the left of its label.
        let width = max(3 * Heatmap.cell, 360), left = (width - 3 * Heatmap.cell) / 2
        let centres = points.map { [left + $0.col * Heatmap.cell + 10, Heatmap.header + $0.row * Heatmap.cell + Heatmap.cell / 2] }
        let run = try await Subprocess.run("/usr/bin/env", ["python3", Subprocess.clientPath("heatmap_render.py"), folder + "/heatmap.svg",
                                                            folder + "/heatmap.png", String(decoding: try JSONSerialization.data(withJSONObject: centres), as: UTF8.self)])
        let drawn = try #require(try? JSONValue(jsonBytes: Array(run.stdout.utf8)), "heatmap_render.py: \(run.stderr)")
        #expect(drawn["width"]?.numberValue == Double(width) && drawn["height"]?.numberValue == Double(Heatmap.header + 3 * Heatmap.cell), "\(drawn)")
        let colors = (drawn["colors"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap { $0.numberValue.map { Int($0) } } }
        let expected = points.map { point -> [Int] in
            let hex = Array(Heatmap.color(point).dropFirst())
            return stride(from: 0, to: 6, by: 2).map { Int(String(hex[$0..<$0 + 2]), radix: 16)! }
        }
        #expect(colors == expected, "drawn \(colors), expected \(expected); the PNG is \(folder)/heatmap.png")
        #expect(FileManager.default.fileExists(atPath: folder + "/heatmap.png"))
    }
}

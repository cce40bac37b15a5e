import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// Scans through Serper's `/maps`, against a local stub that checks the wire format and records every
/// request (Tests/clients/serper_stub.py): a 7 x 7 grid with ranks pinned at each point and metrics checked
/// against values worked out by hand, paging, a 429 retried once, a 401 never retried.
@Suite struct SerperScanTests {
    static let key = "serper-test-key-123"
    static let cid = "4242424242424242424"

    static func host(_ stub: StubServer, concurrency: Int = 5, key: String = key) async throws -> (WorkerTestHost, String) {
        let api = try await APIHost.start(vars: ["SEO_PROVIDER": "serper", "SERPER_API_BASE": stub.base, "SEO_SCAN_CONCURRENCY": String(concurrency)],
                                          secrets: ["SERPER_API_KEY": key])
        return (api, try #require(try await api.signUp("seo@example.com").string("access_token")))
    }

    /// Pins the business at `rank(row, col)` (0: absent) at each point of the 7 x 7, 1 km grid the tracker makes.
    static func pin(_ stub: StubServer, _ rank: (Int, Int) -> Int) async throws {
        var ranks: [String: Any] = [:]
        for point in ScanGrid(size: 7, spacing: 1, unit: "km", zoom: 13).points(latitude: 40.7128, longitude: -74.006) {
            ranks[String(format: "@%.6f,%.6f", point.latitude, point.longitude)] = rank(point.row, point.col)
        }
        let body = try JSONSerialization.data(withJSONObject: ["cid": cid, "title": "Joe's Pizza", "rating": 4.6, "ratingCount": 210, "ranks": ranks])
        let answer = try await Subprocess.curl(["-s", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", String(decoding: body, as: UTF8.self),
                                                stub.base + "/ranks"])
        #expect(answer.stdout.contains("\"points\": 49") || answer.stdout.contains("\"points\":49"), "\(answer.stdout)")
    }

    static let grid: JSONValue = ["size": 7, "spacing": 1, "unit": "km", "zoom": 13]

    @Test func aSevenBySevenScanRanksEveryPointAndItsMetricsAreTheHandWorkedOnes() async throws {
        let stub = try await StubServer("serper_stub.py", [Self.key])
        // The centre's 3 x 3 at ranks 1-9 in reading order, the ring around it at 15 (page 2: ten places a
        // page here), the outer ring absent.
        try await Self.pin(stub) { row, col in
            let ring = max(abs(row - 3), abs(col - 3))
            return ring <= 1 ? (row - 2) * 3 + (col - 2) + 1 : ring == 2 ? 15 : 0
        }
        try await stub.control("/per-page?n=10")
        try await stub.control("/fail?status=429&times=1")
        let (api, token) = try await Self.host(stub)
        defer { Task { await api.stop() } }
        let (_, tracker) = try await LocalSEOTests.setUp(api, token, grid: Self.grid, keywords: ["pizza"], cid: Self.cid)
        let scanID = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token).string("id"))
        let scan = try await LocalSEOTests.finished(api, token, scanID)
        #expect(scan.string("status") == "finished", "\(scan.body)")

        // By hand: 9 points at 1..9 (sum 45), 16 at 15 (240), 24 absent. ARP = 285 / 25 = 11.4;
        // ATRP = (285 + 24 * 21) / 49 = 789 / 49 = 16.10; SoLV = 3 of 49 (ranks 1-3) = 6.12%.
        let metrics = try #require(scan["metrics"]?.arrayValue?.first)
        #expect(metrics["found"] == 25 && metrics["arp"] == 11.4 && metrics["atrp"] == 16.1 && metrics["solv"] == 6.12, "\(metrics)")
        let points = try await api.call("GET", "/api/v1/seo/scans/\(scanID)/points", token: token).data
        #expect(points.count == 49 && points[16]["rank"] == 1 && points[24]["rank"] == 5 && points[0]["rank"] == nil && points[8]["rank"] == 15)

        // The wire: each request exactly Serper's, with the key. Pages: one where the business is in the
        // first ten (9 points), two where it is 11-20 (16) and two where it is not in the first 20 (24).
        let requests = try await stub.requests()
        let maps = requests.filter { $0["path"] as? String == "/maps" }
        #expect(maps.allSatisfy { $0["api_key"] as? String == Self.key && ($0["content_type"] as? String)?.hasPrefix("application/json") == true })
        let bodies = maps.compactMap { $0["body"] as? [String: Any] }
        #expect(bodies.allSatisfy { Set($0.keys) == ["q", "ll", "page"] && $0["q"] as? String == "pizza" && ($0["ll"] as? String)?.hasSuffix(",13z") == true })
        let pages = 9 + 16 * 2 + 24 * 2
        #expect(scan["searches_used"]?.numberValue == Double(pages))
        // The 429 was retried once: one request more than the pages counted, and it was the same request twice.
        #expect(maps.count == pages + 1, "\(maps.count) requests")
        let keys = bodies.map { "\($0["ll"] ?? "")|\($0["page"] ?? "")" }
        #expect(Dictionary(grouping: keys, by: { $0 }).values.filter { $0.count == 2 }.count == 1)

        let competitors = try await api.call("GET", "/api/v1/seo/scans/\(scanID)/competitors?limit=3", token: token).data
        #expect(competitors.count == 3 && competitors.allSatisfy { $0["cid"]?.stringValue != Self.cid && ($0["points"]?.numberValue ?? 0) >= 1 }, "\(competitors)")
    }

    @Test func aRefusedKeyFailsTheScanWithoutRetrying() async throws {
        let stub = try await StubServer("serper_stub.py", [Self.key])
        let (api, token) = try await Self.host(stub, key: "wrong-key")
        defer { Task { await api.stop() } }
        let (_, tracker) = try await LocalSEOTests.setUp(api, token, grid: ["size": 3, "spacing": 1, "unit": "km", "zoom": 13], keywords: ["pizza"], cid: Self.cid)
        let scanID = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token).string("id"))
        let scan = try await LocalSEOTests.finished(api, token, scanID)
        #expect(scan.string("status") == "failed" && scan.string("error")?.contains("401") == true, "\(scan.body)")
        let bodies = try await stub.requests().compactMap { $0["body"] as? [String: Any] }.map { "\($0["ll"] ?? "")|\($0["page"] ?? "")" }
        #expect(!bodies.isEmpty && Set(bodies).count == bodies.count, "a request was made twice: \(bodies)")
    }

    @Test func twoFailuresOfOneRequestFailTheScan() async throws {
        let stub = try await StubServer("serper_stub.py", [Self.key])
        try await stub.control("/fail?status=503&times=2")
        let (api, token) = try await Self.host(stub, concurrency: 1)
        defer { Task { await api.stop() } }
        let (_, tracker) = try await LocalSEOTests.setUp(api, token, grid: ["size": 3, "spacing": 1, "unit": "km", "zoom": 13], keywords: ["pizza"], cid: Self.cid)
        let scanID = try #require(try await api.call("POST", "/api/v1/seo/trackers/\(tracker)/scans", token: token).string("id"))
        let scan = try await LocalSEOTests.finished(api, token, scanID)
        #expect(scan.string("status") == "failed" && scan.string("error")?.contains("503") == true, "\(scan.body)")
        #expect(try await stub.requests().count == 2)
    }
}

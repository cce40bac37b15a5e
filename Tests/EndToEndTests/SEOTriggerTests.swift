import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// A scheduled local-SEO scan as operators run one: `ozzi serve` on the repository's configuration, and
/// `ozzi trigger api "0 6 * * *"` from another process on the same data folder, as the 06:00 UTC cron
/// would fire it. The trigger makes the day's scan and queues it; the serving host runs it to the end.
@Suite struct SEOTriggerTests {
    @Test func ozziTriggerAtSixStartsTheDaysScanOnce() async throws {
        let data = NSTemporaryDirectory() + "ozzi-seo-trigger-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let host = try OzziProcess(["serve", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data])
        defer { kill(host.process.pid, SIGTERM) }
        let port = try await host.listeningPort()
        let crash = CampaignCrashTests()
        let token = try #require(try await MessagingCrashTests().signUp(port, "seo@example.com", data: data)["access_token"]?.stringValue)
        let business = try await crash.call(port, "POST", "/api/v1/seo/businesses", token: token,
                                            json: #"{"name":"Joe's Pizza","cid":"4242","latitude":40.7128,"longitude":-74.006}"#)
        let businessID = try #require(business["id"]?.stringValue, "\(business)")
        let tracker = try await crash.call(port, "POST", "/api/v1/seo/trackers", token: token, json: """
            {"business_id":"\(businessID)","keywords":["pizza"],"grid":{"size":3,"spacing":1,"unit":"km","zoom":13},"schedule":{"frequency":"daily"}}
            """)
        let trackerID = try #require(tracker["id"]?.stringValue, "\(tracker)")

        for _ in 0..<2 {  // fired twice on one day: still one scan
            let trigger = try OzziProcess(["trigger", "api", "0 6 * * *", "--config", WorkerTestHost.configFile, "--env", "test", "--data-dir", data])
            #expect(try await trigger.waitForExit() == 0, "\(trigger.log)")
            #expect(trigger.log.contains("ran api \"0 6 * * *\""), "\(trigger.log)")
        }
        var scans: [JSONValue] = []
        _ = try await Poll.until(timeout: .seconds(120)) {
            scans = try await crash.call(port, "GET", "/api/v1/seo/scans?tracker_id=\(trackerID)", token: token)["data"]?.arrayValue ?? []
            return scans.first?["status"]?.stringValue == "finished"
        }
        #expect(scans.count == 1 && scans.first?["trigger"] == "scheduled" && scans.first?["status"] == "finished", "\(scans)")
        #expect(scans.first?["metrics"]?.arrayValue?.first?["points"] == 9)
    }
}

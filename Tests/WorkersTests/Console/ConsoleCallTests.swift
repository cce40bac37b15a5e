import Foundation
import OzziRuntime
import OzziTestSupport
import Testing
@testable import APIWorker

/// The call center's pages in process, with the voice agent: a test call made from the numbers page is
/// followed on its page to a recorded, reviewed call with its transcript; the dashboard counts it; a
/// person classes it, rates it and corrects the review; the history filters.
@Suite struct ConsoleCallTests {
    @Test func aTestCallIsReviewedAndJudgedFromTheConsole() async throws {
        let host = try await WorkerTestHost.start("voice-agent", vars: ["TOOL_TIMEOUT_MS": "60000"])
        defer { Task { await host.stop() } }
        let s = try await ConsoleCampaignTests.signedIn(host)
        let number = try await host.call("POST", "/api/v1/voice/numbers", json: [
            "phone_number": "+12025550100", "name": "Front desk", "knowledge": [["topic": "opening hours", "answer": "We are open from nine to five."]],
            "record_calls": true,
        ], token: s.token)
        let numberID = try #require(number.string("id"))
        let numbers = try await s.get("/console/calls/numbers")
        #expect(numbers.body.contains("+12025550100") && numbers.body.contains("/console/calls/numbers/\(numberID)/test"))

        let placed = try await s.post("/console/calls/numbers/\(numberID)/test", [("script", "Hello?\r\nWhat are your opening hours?\r\nThank you, goodbye")])
        let path = try #require(placed.headers["location"], "\(placed.body)")
        #expect(path.hasPrefix("/console/calls/"))
        var part = ""
        #expect(try await Poll.until(timeout: .seconds(300)) {
            part = try await s.get(path + "?part=call").body
            return part.contains("id=\"review-summary\"") && part.contains("<audio")
        }, "\(part)")
        #expect(part.contains("What are your opening hours?") && part.contains("nine to five") && part.contains("class=\"from-agent\""), "\(part)")
        let page = try await s.get(path)
        #expect(page.body.contains("data-live-part=\"call\"") && page.headers["content-security-policy"]?.contains("media-src 'self'") == true)

        let calls = try await s.get("/console/calls")
        #expect(calls.body.contains("data-stat=\"calls\">1<") && calls.body.contains("href=\"\(path)\"") && calls.body.contains("<svg"), "\(calls.body)")
        #expect(try await s.get("/console/calls?part=dashboard").body.contains("data-stat=\"live\">0<"))

        let id = String(path.dropFirst("/console/calls/".count))
        #expect(try await s.post(path + "/judge", [("classification", "appointment"), ("rating", "4")]).status == 303)
        #expect(try await s.post(path + "/judge", [("rating", "9")]).status == 422)
        #expect(try await s.post(path + "/judge", [("classification", "appointment")], csrf: false).status == 403)
        let judged = try await host.call("GET", "/api/v1/calls/\(id)", token: s.token)
        #expect(judged.string("classification") == "appointment" && judged.json["rating"] == 4)
        let offline = try #require(try await host.call("GET", "/api/v1/calls/\(id)", token: s.token).json["review"])
        let kept: [(String, String)] = [("sentiment", try #require(offline["sentiment"]?.stringValue))] + (offline["success"] == true ? [("success", "1")] : [])
        let score = offline["score"] == 90 ? "91" : "90"
        #expect(try await s.post(path + "/correct", [("summary", "Asked our hours; told nine to five."), ("score", score)] + kept).status == 303)
        let review = try await host.call("GET", "/api/v1/calls/\(id)", token: s.token).json["review"]
        #expect(review?["summary"] == "Asked our hours; told nine to five." && review?["score"]?.numberValue == Double(score), "\(String(describing: review))")
        #expect(try await s.get(path).body.contains("corrected: score, summary."), "only what changed is a correction")
        #expect(try await s.post(path + "/correct", [("score", "lots")]).status == 422)

        #expect(try await s.get("/console/calls?classification=appointment&part=calls").body.contains(path))
        #expect(try await s.get("/console/calls?classification=complaint&part=calls").body.contains("No calls match"))
        #expect(try await s.get("/console/calls?rating=7").status == 422)
        #expect(try await s.post(path + "/review", []).status == 303)
    }
}

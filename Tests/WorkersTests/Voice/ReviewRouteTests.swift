import OzziTestSupport
import Testing
@testable import OzziRuntime  // a service binding of our own, as the api's VOICE binding calls the worker
@testable import VoiceAgentWorker

/// `POST /review` on the voice-agent worker in a host built from the repository's configuration: through a
/// service binding (as the api asks for a review) it answers the review or names the bad field; from
/// outside it does not exist.
@Suite struct ReviewRouteTests {
    static let body: JSONValue = [
        "call": ["direction": "inbound", "status": "completed", "duration_seconds": 42, "handoff_reason": .null, "callback_requested": false],
        "rubric": "Tell the caller our opening hours.",
        "turns": [["role": "agent", "text": "Hello, Harbour Dental.", "interrupted": false, "tool": .null],
                  ["role": "caller", "text": "When are you open?", "interrupted": false, "tool": .null],
                  ["role": "agent", "text": "Our opening hours are nine to five.", "interrupted": false, "tool": .null],
                  ["role": "caller", "text": "Thanks, bye!", "interrupted": false, "tool": .null]],
    ]

    static func review(_ host: WorkerTestHost, _ body: JSONValue) async throws -> TestResponse {
        let voice = ServiceBinding(service: "voice-agent", directory: host.host.directory)
        let response = try await voice.fetch(Request(method: "POST", target: "/review", headers: ["content-type": "application/json"], body: body.jsonBytes))
        return TestResponse(status: response.status, body: String(decoding: response.bodyBytes, as: UTF8.self))
    }

    @Test func theApiGetsAReviewOrTheBadFieldAndNobodyElseReachesIt() async throws {
        let host = try await WorkerTestHost.start("voice-agent")
        defer { Task { await host.stop() } }

        let answer = try await Self.review(host, Self.body)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(Set(answer.json.objectValue?.keys.map { $0 } ?? []) == CallReview.fields, "\(answer.body)")
        #expect(answer.string("classification") == "resolved" && answer.string("sentiment") == "positive" && answer.string("model") == "offline")
        #expect(answer.json["success"] == true && answer.json["score"] == 100 && answer.json["recommendations"] == [], "\(answer.body)")

        var turns = Self.body["turns"]!.arrayValue!
        turns[2] = ["role": "robot", "text": "beep"]
        var bad = Self.body.objectValue!
        bad["turns"] = .array(turns)
        let refused = try await Self.review(host, .object(bad))
        #expect(refused.status == 422, "\(refused.body)")
        #expect(refused.json["error"]?["code"] == "invalid_field" && refused.json["error"]?["details"]?["field"] == "turns[2].role", "\(refused.body)")

        // From outside, at the worker's mount: as if there were no such route.
        let outside = try await host.call("POST", "/voice/review", json: Self.body)
        #expect(outside.status == 404 && outside.json["error"]?["code"] == "not_found", "\(outside.body)")
    }
}

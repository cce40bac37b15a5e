import OzziRuntime
import Testing
@testable import VoiceAgentWorker

/// What a review must be (a model's answer is checked against it) and what a review request must be (the
/// api's body): each bad field is named.
@Suite struct CallReviewValidationTests {
    static let valid: [String: JSONValue] = [
        "summary": "The caller asked for the price.", "classification": "sales_inquiry", "score": 90, "sentiment": "positive", "success": true,
        "success_reason": "The price was given.", "recommendations": ["Mention the yearly plan."], "model": "gpt-review",
    ]

    @Test func aValidReviewReadsBackAsItsJSON() throws {
        let review = try CallReview(validating: .object(Self.valid))
        #expect(review.classification == .salesInquiry && review.score == 90 && review.sentiment == .positive && review.success)
        #expect(review.json == .object(Self.valid))
        #expect(try CallReview(validating: .object(Self.valid.merging(["recommendations": []]) { $1 })).recommendations.isEmpty)
    }

    @Test func eachBadFieldOfAReviewIsNamed() {
        let long = JSONValue.string(String(repeating: "x", count: 1_001))
        let cases: [(String, JSONValue?, String)] = [
            ("summary", nil, "summary"), ("summary", "", "summary"), ("summary", "  \n", "summary"), ("summary", long, "summary"),
            ("classification", "weather", "classification"), ("classification", 3, "classification"),
            ("score", 101, "score"), ("score", -1, "score"), ("score", 50.5, "score"), ("score", "50", "score"), ("score", nil, "score"),
            ("sentiment", "happy", "sentiment"), ("success", "yes", "success"), ("success", nil, "success"),
            ("success_reason", "", "success_reason"), ("success_reason", .string(String(repeating: "x", count: 501)), "success_reason"),
            ("recommendations", ["a", "b", "c", "d", "e", "f"], "recommendations"), ("recommendations", "a", "recommendations"),
            ("recommendations", ["ok", ""], "recommendations[1]"), ("recommendations", [5], "recommendations[0]"),
            ("recommendations", [.string(String(repeating: "x", count: 301))], "recommendations[0]"),
            ("model", "", "model"), ("confidence", 0.9, "confidence"),
        ]
        for (name, value, field) in cases {
            var fields = Self.valid
            fields[name] = value
            do {
                _ = try CallReview(validating: .object(fields))
                Issue.record("\(name) = \(value?.jsonText ?? "absent") was taken")
            } catch {
                #expect(error.field == field, "\(name) = \(value?.jsonText ?? "absent"): \(error)")
            }
        }
        #expect(throws: CallReview.ValidationError(field: "review", reason: "must be a JSON object")) { try CallReview(validating: "a review") }
    }

    static let request: [String: JSONValue] = [
        "call": ["direction": "inbound", "status": "completed", "duration_seconds": .null, "handoff_reason": .null, "callback_requested": false],
        "rubric": "",
        "turns": [["role": "agent", "text": "Hello", "interrupted": false, "tool": .null],
                  ["role": "tool", "text": "lookup_caller", "tool": ["name": "lookup_caller", "arguments": [:], "result": ["found": false]]],
                  ["role": "caller", "text": "Hi", "interrupted": false]],
    ]

    @Test func aRequestReadsWithItsOptionalFieldsLeftOut() throws {
        let read = try ReviewRequest(body: JSONValue.object(Self.request).jsonBytes)
        #expect(read.call == .init(direction: .inbound, status: "completed", durationSeconds: nil, handoffReason: nil, callbackRequested: false))
        #expect(read.turns.map(\.role) == [.agent, .tool, .caller])
        #expect(read.turns[1].tool == .init(name: "lookup_caller", arguments: [:], result: ["found": false]) && read.turns[1].tool?.failed == false)
        let bare = try ReviewRequest(json: ["call": ["direction": "outbound", "status": "busy"], "turns": []])
        #expect(bare.rubric.isEmpty && !bare.call.callbackRequested && bare.call.durationSeconds == nil)
        #expect(bare.transcript.hasSuffix("(nothing was said)"))
    }

    @Test func eachBadFieldOfARequestIsNamed() {
        func changed(_ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
            var body = Self.request
            change(&body)
            return .object(body)
        }
        func call(_ name: String, _ value: JSONValue?) -> JSONValue {
            changed { body in
                var call = body["call"]!.objectValue!
                call[name] = value
                body["call"] = .object(call)
            }
        }
        func turn(_ index: Int, _ name: String, _ value: JSONValue?) -> JSONValue {
            changed { body in
                var turns = body["turns"]!.arrayValue!
                var turn = turns[index].objectValue!
                turn[name] = value
                turns[index] = .object(turn)
                body["turns"] = .array(turns)
            }
        }
        let cases: [(JSONValue, String)] = [
            ([1, 2], "body"), (changed { $0["call"] = nil }, "call"), (changed { $0["call"] = "inbound" }, "call"),
            (call("direction", "sideways"), "call.direction"), (call("status", nil), "call.status"), (call("status", ""), "call.status"),
            (call("duration_seconds", -1), "call.duration_seconds"), (call("duration_seconds", 1.5), "call.duration_seconds"),
            (call("duration_seconds", "42"), "call.duration_seconds"), (call("handoff_reason", 5), "call.handoff_reason"),
            (call("callback_requested", "yes"), "call.callback_requested"), (changed { $0["rubric"] = 3 }, "rubric"),
            (changed { $0["turns"] = nil }, "turns"), (changed { $0["turns"] = [:] }, "turns"), (turn(2, "role", "robot"), "turns[2].role"),
            (turn(0, "text", nil), "turns[0].text"), (turn(2, "interrupted", "no"), "turns[2].interrupted"),
            (turn(1, "tool", "lookup_caller"), "turns[1].tool"), (turn(1, "tool", ["arguments": [:]]), "turns[1].tool.name"),
            (changed { $0["turns"] = ["hello"] }, "turns[0]"),
        ]
        for (body, field) in cases {
            do {
                _ = try ReviewRequest(body: body.jsonBytes)
                Issue.record("\(body.jsonText) was taken")
            } catch {
                #expect(error.status == 422 && error.code == "invalid_field" && error.details == ["field": .string(field)], "\(field): \(error.message)")
                #expect(error.message.hasPrefix(field + ": "), "\(error.message)")
            }
        }
        #expect(throws: VoiceError.self) { try ReviewRequest(body: Array("not json".utf8)) }
    }
}

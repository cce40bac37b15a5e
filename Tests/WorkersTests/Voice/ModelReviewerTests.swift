import Foundation
import Logging
import OzziRuntime
import OzziTestSupport
import Testing
@testable import VoiceAgentWorker

/// The model's review against the OpenAI stub (Tests/clients/openai_stub.py), its answers scripted: the
/// request asks for strict structured output with the transcript, a valid answer becomes the review, an
/// invalid one is sent back once, and a second invalid one or a failing model is a 502.
@Suite struct ModelReviewerTests {
    static let apiKey = "sk-test-0123456789"

    static let request = ReviewRequest(
        call: .init(direction: .inbound, status: "completed", durationSeconds: 42, handoffReason: nil, callbackRequested: false),
        rubric: "Give the caller the price.\nMention the free month.",
        turns: [.init(role: .caller, text: "How much is the premium plan?"), .init(role: .agent, text: "Thirty dollars a month.", interrupted: true),
                .init(role: .tool, text: "send_sms", tool: .init(name: "send_sms", arguments: ["body": "price"], result: ["sent": true]))])

    static let answer: JSONValue = [
        "summary": "The caller asked for the premium plan's price and got it.", "classification": "sales_inquiry", "score": 85,
        "sentiment": "neutral", "success": false, "success_reason": "The free month was not mentioned.",
        "recommendations": ["Mention the free month."],
    ]

    /// The review of `request` by a model that answers `answers` in turn, and what the stub was sent.
    static func review(answers: [String], key: String = apiKey) async throws -> (review: Result<CallReview, VoiceError>, sent: [[String: Any]]) {
        let scripted = String(decoding: try JSONSerialization.data(withJSONObject: answers), as: UTF8.self)
        let stub = try await StubServer("openai_stub.py", [apiKey], environment: ["STUB_ANSWERS": scripted])
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.shutdown() }
        let reviewer = ModelReviewer(model: OpenAIChatModel(baseURL: stub.base + "/v1", model: "gpt-review", apiKey: key,
                                                            outbound: OutboundFetcher(worker: "voice-agent", allowed: [OutboundHostPattern("http://127.0.0.1:*")!]),
                                                            timeoutMilliseconds: 300_000))
        let review = await Task(executorPreference: group.loops[0]) { () -> Result<CallReview, VoiceError> in
            do { return .success(try await reviewer.review(request)) } catch let error as VoiceError { return .failure(error) } catch {
                Issue.record("not an HTTP error: \(error)")
                return .failure(VoiceError(status: 500, code: "unexpected", message: "\(error)"))
            }
        }.value
        return (review, try await stub.requests().compactMap { $0["body"] as? [String: Any] })
    }

    @Test func theRequestAsksForStrictStructuredOutputWithTheTranscriptAndTheAnswerIsTheReview() async throws {
        let (review, sent) = try await Self.review(answers: [Self.answer.jsonText])
        var expected = Self.answer.objectValue!
        expected["model"] = "gpt-review"
        #expect(try review.get() == CallReview(validating: .object(expected)))

        let body = try #require(sent.first)
        #expect(sent.count == 1)
        #expect(body["model"] as? String == "gpt-review" && body["stream"] as? Bool == true)
        let format = try #require(body["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require(format["json_schema"] as? [String: Any])
        #expect(schema["name"] as? String == "call_review" && schema["strict"] as? Bool == true)
        let answerSchema = try #require(schema["schema"] as? [String: Any])
        #expect(answerSchema["additionalProperties"] as? Bool == false)
        #expect(Set(answerSchema["required"] as? [String] ?? []) == CallReview.fields.subtracting(["model"]))
        let properties = try #require(answerSchema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == CallReview.fields.subtracting(["model"]), "every property is required (strict mode)")
        #expect(properties["classification"]?["enum"] as? [String] == CallClass.allCases.map(\.rawValue))
        #expect(properties["score"]?["type"] as? String == "integer")

        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user"])
        let system = try #require(messages[0]["content"] as? String)
        #expect(system.contains("Give the caller the price.\nMention the free month."), "the rubric is in the instructions")
        #expect(messages[1]["content"] as? String == Self.request.transcript)
        #expect(Self.request.transcript == """
            Call: inbound call; status completed; 42 seconds.
            Transcript:
            Caller: How much is the premium plan?
            Agent: Thirty dollars a month. [interrupted by the caller]
            Tool send_sms({"body":"price"}) -> {"sent":true}
            """)
    }

    @Test func anInvalidAnswerIsSentBackOnceAndTheSecondIsTheReview() async throws {
        let (review, sent) = try await Self.review(answers: ["Here is the review: {", Self.answer.jsonText])
        #expect(try review.get().summary == Self.answer["summary"]?.stringValue)
        #expect(sent.count == 2)
        let messages = try #require(sent.last?["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
        #expect(messages[2]["content"] as? String == "Here is the review: {")
        let correction = try #require(messages[3]["content"] as? String)
        #expect(correction.contains("must be one JSON object"), "\(correction)")
        #expect(sent.last?["response_format"] != nil)
    }

    @Test func twoInvalidAnswersAreAModelFailureNamingTheField() async throws {
        var outOfRange = Self.answer.objectValue!
        outOfRange["score"] = 900
        var unknownClass = Self.answer.objectValue!
        unknownClass["classification"] = "weather"
        let (review, sent) = try await Self.review(answers: [JSONValue.object(outOfRange).jsonText, JSONValue.object(unknownClass).jsonText])
        #expect(sent.count == 2, "asked once more, not again")
        let correction = (sent[1]["messages"] as? [[String: Any]])?.last?["content"] as? String
        #expect(correction?.contains("score: must be an integer from 0 to 100") == true, "\(correction ?? "")")
        guard case .failure(let error) = review else { Issue.record("\(review)"); return }
        #expect(error.status == 502 && error.code == "model_failed")
        #expect(error.message.contains("classification"), "\(error.message)")
    }

    @Test func aFailingModelIsAModelFailureNamingWhy() async throws {
        let (review, sent) = try await Self.review(answers: [Self.answer.jsonText], key: "sk-wrong")
        #expect(sent.count == 1, "a refusal is not asked again")
        guard case .failure(let error) = review else { Issue.record("\(review)"); return }
        #expect(error.status == 502 && error.code == "model_failed")
        #expect(error.message.contains("401") && error.message.contains("Incorrect API key"), "\(error.message)")
    }

    @Test func theReviewerFollowsAgentModel() throws {
        func config(_ vars: [String: String]) throws -> VoiceConfig {
            try VoiceConfig(env: WorkerEnv(name: "voice-agent", vars: vars, secrets: ["LLM_API_KEY": Self.apiKey], dataDirectory: "/nonexistent",
                                           logger: Logger(label: "test")))
        }
        #expect(try config([:]).reviewer is OfflineReviewer)
        let openai = ["AGENT_MODEL": "openai", "LLM_BASE_URL": "https://llm.example/v1/", "LLM_MODEL": "gpt-agent"]
        let reviewer = try #require(try config(openai).reviewer as? ModelReviewer)
        #expect(reviewer.model.model == "gpt-agent" && reviewer.model.baseURL == "https://llm.example/v1")
        #expect((try config(openai.merging(["REVIEW_MODEL": "gpt-review"]) { $1 }).reviewer as? ModelReviewer)?.model.model == "gpt-review")
        #expect(throws: VoiceConfigError.self) { try config(["REVIEW_MODEL": "gpt-review"]) }
    }
}

import OzziRuntime
import Testing
@testable import VoiceAgentWorker

private func caller(_ text: String) -> ReviewRequest.Turn { .init(role: .caller, text: text) }
private func agent(_ text: String, interrupted: Bool = false) -> ReviewRequest.Turn { .init(role: .agent, text: text, interrupted: interrupted) }
private func tool(_ name: String, result: JSONValue) -> ReviewRequest.Turn {
    .init(role: .tool, text: name, tool: .init(name: name, arguments: [:], result: result))
}

/// The offline reviewer: what a transcript is classified as, how the caller felt, whether the rubric was
/// met, the score and the advice, always the same for the same call and always a valid review.
@Suite struct OfflineReviewerTests {
    static func request(_ turns: [ReviewRequest.Turn], rubric: String = "", status: String = "completed", handoff: String? = nil,
                        callback: Bool = false) -> ReviewRequest {
        ReviewRequest(call: .init(direction: .inbound, status: status, durationSeconds: 42, handoffReason: handoff, callbackRequested: callback),
                      rubric: rubric, turns: turns)
    }

    /// The review, checked to be one a model's answer would have to be.
    static func review(_ request: ReviewRequest) throws -> CallReview {
        let review = OfflineReviewer().review(request)
        #expect(try CallReview(validating: review.json) == review)
        return review
    }

    static let salesCall = [
        agent("Hello, thanks for calling Harbour Internet."), caller("Hi, how much does the premium plan cost?"),
        agent("The price of the premium plan is thirty dollars a month, and the first month is free."),
        caller("Great, thanks, that's perfect."), agent("You're welcome. Goodbye!"),
    ]

    @Test func aPriceQuestionAnsweredIsASalesInquiryThatMetTheRubric() throws {
        let review = try Self.review(Self.request(Self.salesCall, rubric: "Give the caller the price of the plan.\nMention the free first month."))
        #expect(review.classification == .salesInquiry)
        #expect(review.sentiment == .positive)
        #expect(review.success, "\(review.successReason)")
        #expect(review.score == 100 && review.recommendations.isEmpty, "\(review)")
        #expect(review.model == "offline")
        #expect(review.summary.contains("The caller said: \"Hi, how much does the premium plan cost?\""), "\(review.summary)")
    }

    @Test func aRubricPointTheAgentNeverCoveredIsAFailureNamingIt() throws {
        let review = try Self.review(Self.request(Self.salesCall, rubric: "Give the caller the price of the plan. Offer a discount on a yearly plan."))
        #expect(!review.success)
        #expect(review.successReason.contains("Offer a discount on a yearly plan") && review.successReason.contains("\"discount\""), "\(review.successReason)")
        #expect(review.recommendations.first?.contains("Offer a discount on a yearly plan") == true, "\(review.recommendations)")
    }

    @Test func aBrokenThingIsASupportRequestAndWhatWentWrongIsScoredAndAdvised() throws {
        let long = Array(repeating: "first unplug the router and wait", count: 12).joined(separator: " then ")
        let review = try Self.review(Self.request([
            caller("My router stopped working this morning, can you fix it?"), agent(long, interrupted: true),
            caller("Just text me the steps"), tool("send_sms", result: ["error": "the tool did not answer in time"]),
            agent("Sorry, I could not do that just now."), caller("Okay, bye."),
        ]))
        #expect(review.classification == .supportRequest)
        #expect(review.sentiment == .neutral)
        #expect(review.score == 100 - 5 - 10 - 5, "an interruption, a failed tool, a long answer")
        #expect(review.recommendations.count == 3, "\(review.recommendations)")
        #expect(review.recommendations[0].contains("send_sms") && review.recommendations[1].contains("interrupted")
                && review.recommendations[2].contains("60 words"), "\(review.recommendations)")
        #expect(review.summary.contains("used send_sms") && review.summary.contains("1 tool call failed"), "\(review.summary)")
        #expect(review.success, "no rubric: the call completed and the caller got answers")
    }

    @Test func aHandoffOrACallbackNeedsFollowingUpBeforeAnythingElse() throws {
        let angry = [caller("This is unacceptable, I was charged twice and I am not happy."), agent("I am sorry. Let me put you through to a person now.")]
        let handedOff = try Self.review(Self.request(angry, handoff: "the caller asked for a person"))
        #expect(handedOff.classification == .followUpRequired)
        #expect(handedOff.sentiment == .negative, "unacceptable, and not happy")
        #expect(handedOff.score == 90)
        #expect(handedOff.summary.contains("It handed the call to a person: the caller asked for a person."), "\(handedOff.summary)")
        // The same words without the handoff: a complaint, before the charge it is about.
        #expect(try Self.review(Self.request(angry)).classification == .complaint)
        let callback = try Self.review(Self.request([caller("Can I book a cleaning?"), agent("I will ask the team to call you back.")], callback: true))
        #expect(callback.classification == .followUpRequired)
    }

    @Test func topicsByTheirWordsWithTiesGoingToTheEarlier() throws {
        for (said, expected) in [
            ("I need help with my invoice", CallClass.billing),  // one support phrase, one billing word: billing comes first
            ("Can I book an appointment for Tuesday?", .appointment),
            ("Who am I speaking to?", .generalInquiry),
            ("I would like a quote, what are your prices?", .salesInquiry),
        ] {
            #expect(try Self.review(Self.request([caller(said), agent("Sure.")])).classification == expected, "\(said)")
        }
    }

    @Test func aThankedAnswerWithoutATopicIsResolved() throws {
        let review = try Self.review(Self.request([caller("What are your opening hours?"), agent("We are open from nine to five."),
                                                   caller("Thank you, bye.")]))
        #expect(review.classification == .resolved)
        #expect(review.sentiment == .positive)
        #expect(review.score == 100, "a goodbye needs no answer")
    }

    @Test func aCallerWhoSaidNothingIsSpam() throws {
        let review = try Self.review(Self.request([agent("Hello, how can I help?"), caller("..."), agent("Hello?")]))
        #expect(review.classification == .spam)
        #expect(review.sentiment == .neutral && review.score == 50)
        #expect(!review.success && review.successReason == "No rubric: the caller got no answer.")
        #expect(review.summary.contains("The caller said nothing."))
    }

    @Test func withoutARubricAnUnfinishedOrUnansweredCallIsNoSuccess() throws {
        let unfinished = try Self.review(Self.request([caller("Hello?"), agent("Hi there.")], status: "failed"))
        #expect(!unfinished.success && unfinished.successReason.contains("did not complete (failed)"), "\(unfinished.successReason)")
        let unanswered = try Self.review(Self.request([caller("Hello?"), agent("Hi there."), caller("Is anyone there?")]))
        #expect(unanswered.success, "the caller got an answer")
        #expect(unanswered.score == 80 && unanswered.recommendations == [
            "The caller's last words got no answer: make sure the agent answers before the call ends.",
        ])
    }

    @Test func theSameCallGetsTheSameReviewAndLongWordsAreCut() throws {
        let rambling = String(repeating: "I keep calling about my bill and nobody answers ", count: 60)
        let request = Self.request([caller(rambling), agent("Let me check."), tool("lookup_caller", result: ["found": false])],
                                   rubric: "Say sorry.\nTake a message", handoff: String(repeating: "reason ", count: 100))
        let first = try Self.review(request)
        #expect(first == (try Self.review(request)))
        #expect(first.json.jsonText == OfflineReviewer().review(request).json.jsonText)
        #expect(first.summary.count <= CallReview.summaryLimit && first.summary.contains("…\""), "the caller's words are cut in the summary")
    }
}

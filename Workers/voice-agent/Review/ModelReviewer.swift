import OzziRuntime

/// The reviewer that asks a model (`AGENT_MODEL = "openai"`): the instructions and the number's rubric as
/// the system message, the transcript as the user's, the answer held to the review's JSON Schema (strict
/// structured output). A schema does not bound lengths everywhere, and not every OpenAI-compatible server
/// holds to one: an answer that is not a valid review is sent back with what is wrong, once; a second is
/// a 502 `model_failed`, as is the model failing.
struct ModelReviewer: CallReviewer {
    let model: OpenAIChatModel

    static let responseFormat: JSONValue = [
        "type": "json_schema", "json_schema": ["name": "call_review", "schema": CallReview.answerSchema, "strict": true],
    ]

    func review(_ request: ReviewRequest) async throws -> CallReview {
        var messages: [ChatMessage] = [.system(Self.instructions(rubric: request.rubric)), .user(request.transcript)]
        var problem = ""
        for _ in 1...2 {
            let answer: String
            do {
                answer = try await model.text(messages, responseFormat: Self.responseFormat)
            } catch {
                throw VoiceError(status: 502, code: "model_failed", message: "the review model (\(model.model)) failed: \(error)")
            }
            do {
                return try parse(answer)
            } catch {
                problem = error.description
                messages += [.assistant(answer), .user("That is not a valid review: \(problem). Answer again with the whole JSON object, corrected.")]
            }
        }
        throw VoiceError(status: 502, code: "model_failed", message: "the review model (\(model.model)) answered an invalid review twice: \(problem)")
    }

    /// The model's answer as a review: the name of the model is ours to add.
    private func parse(_ answer: String) throws(CallReview.ValidationError) -> CallReview {
        guard var fields = (try? JSONValue(jsonBytes: Array(answer.utf8)))?.objectValue else {
            throw CallReview.ValidationError(field: "review", reason: "must be one JSON object and nothing else")
        }
        fields["model"] = .string(model.model)
        return try CallReview(validating: .object(fields))
    }

    static func instructions(rubric: String) -> String {
        let classes = CallClass.allCases.map(\.rawValue).joined(separator: ", ")
        let trimmed = rubric.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.filter { !$0.isEmpty }
        let criteria = trimmed.isEmpty
            ? "No rubric was given: the call succeeded when it completed and the caller got an answer."
            : "The rubric, what counts as a successful call for this number:\n" + trimmed.joined(separator: "\n")
        return """
            You review a finished phone call between a caller and an AI phone agent, from its transcript. Answer with one JSON object:
            - summary: what the caller wanted and what the agent did, 1 to \(CallReview.summaryLimit) characters;
            - classification: the one that fits best of \(classes) (follow_up_required: someone must call back or take over; \
            spam: no real caller; resolved: the caller's need was fully met);
            - score: from 0 to 100, how well the agent handled the call;
            - sentiment: the caller's, positive, neutral or negative;
            - success: whether the call met the rubric below;
            - success_reason: why, 1 to \(CallReview.reasonLimit) characters;
            - recommendations: at most \(CallReview.maxRecommendations) concrete improvements for the agent, each 1 to \
            \(CallReview.recommendationLimit) characters; none when nothing went wrong.
            \(criteria)
            """
    }
}

import OzziRuntime

/// The voice-agent worker's review of a call, checked field by field before it is kept: the model behind
/// it is outside our control, and a review with an unknown class or a score of 900 must not land.
struct CallReviewAnswer: Sendable, Equatable {
    let summary: String
    let classification: String
    let score: Int
    let sentiment: String
    let success: Bool
    let successReason: String
    let recommendations: [String]
    let model: String
    let rubric: String

    /// The worker refused the request itself (a 4xx): asking again would be refused again.
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(_ response: Response, rubric: String) throws {
        let json = try? JSONValue(jsonBytes: response.bodyBytes)
        guard response.status == 200, let json else {
            let message = json?["error"]?["message"]?.stringValue ?? "status \(response.status)"
            if (400..<500).contains(response.status) { throw Refused(description: "the voice agent refused the review: \(message)") }
            throw Invalid(description: "the voice agent gave no review (\(response.status)): \(message)")
        }
        try self.init(json, rubric: rubric)
    }

    init(_ json: JSONValue, rubric: String) throws {
        func text(_ name: String, max: Int) throws -> String {
            guard let value = json[name]?.stringValue, !value.isEmpty, value.count <= max else {
                throw Invalid(description: "the review's \(name) must be a string of 1-\(max) characters")
            }
            return value
        }
        summary = try text("summary", max: 2_000)
        classification = try text("classification", max: 40)
        guard CallClass.all.contains(classification) else { throw Invalid(description: "the review's classification \(classification) is not a class") }
        guard let number = json["score"]?.numberValue, let score = Int(exactly: number), (0...100).contains(score) else {
            throw Invalid(description: "the review's score must be a whole number from 0 to 100")
        }
        self.score = score
        sentiment = try text("sentiment", max: 20)
        guard CallReview.sentiments.contains(sentiment) else { throw Invalid(description: "the review's sentiment \(sentiment) is not one of \(CallReview.sentiments)") }
        guard let success = json["success"]?.boolValue else { throw Invalid(description: "the review's success must be true or false") }
        self.success = success
        successReason = try text("success_reason", max: 1_000)
        guard let items = json["recommendations"]?.arrayValue, items.count <= 10,
              case let texts = items.compactMap(\.stringValue), texts.count == items.count, texts.allSatisfy({ !$0.isEmpty && $0.count <= 500 }) else {
            throw Invalid(description: "the review's recommendations must be at most 10 strings of 1-500 characters")
        }
        recommendations = texts
        model = try text("model", max: 100)
        self.rubric = rubric
    }
}

import OzziRuntime

/// The review of one finished call, as `POST /review` answers it. Whoever wrote it (the offline reviewer or
/// a model), it holds to these bounds: a model's answer is checked field by field before it is believed.
struct CallReview: Sendable, Equatable {
    enum Sentiment: String, CaseIterable, Sendable {
        case positive, neutral, negative
    }

    /// What the caller wanted and what the agent did (1...1000 characters).
    var summary: String
    var classification: CallClass
    /// How well the agent handled the call, 0...100.
    var score: Int
    /// The caller's.
    var sentiment: Sentiment
    /// Whether the call met the number's rubric.
    var success: Bool
    /// Why (1...500 characters).
    var successReason: String
    /// What the agent could do better: up to 5, each 1...300 characters.
    var recommendations: [String]
    /// "offline", or the name of the model that wrote it.
    var model: String

    static let summaryLimit = 1_000
    static let reasonLimit = 500
    static let recommendationLimit = 300
    static let maxRecommendations = 5

    init(summary: String, classification: CallClass, score: Int, sentiment: Sentiment, success: Bool, successReason: String,
         recommendations: [String], model: String) {
        self.summary = summary
        self.classification = classification
        self.score = score
        self.sentiment = sentiment
        self.success = success
        self.successReason = successReason
        self.recommendations = recommendations
        self.model = model
    }

    /// A review from JSON no one has checked (a model's answer): every field present, of its type and within
    /// its bounds, and no other field; the first that is not is named.
    init(validating json: JSONValue) throws(ValidationError) {
        guard let fields = json.objectValue else { throw ValidationError(field: "review", reason: "must be a JSON object") }
        if let unknown = fields.keys.filter({ !Self.fields.contains($0) }).sorted().first {
            throw ValidationError(field: unknown, reason: "is not a field of a review")
        }
        summary = try Self.text(fields["summary"], "summary", limit: Self.summaryLimit)
        classification = try Self.choice(fields["classification"], "classification")
        guard let number = fields["score"]?.numberValue, number.rounded() == number, (0...100).contains(number) else {
            throw ValidationError(field: "score", reason: "must be an integer from 0 to 100")
        }
        score = Int(number)
        sentiment = try Self.choice(fields["sentiment"], "sentiment")
        guard let success = fields["success"]?.boolValue else { throw ValidationError(field: "success", reason: "must be true or false") }
        self.success = success
        successReason = try Self.text(fields["success_reason"], "success_reason", limit: Self.reasonLimit)
        guard let items = fields["recommendations"]?.arrayValue, items.count <= Self.maxRecommendations else {
            throw ValidationError(field: "recommendations", reason: "must be a list of at most \(Self.maxRecommendations) texts")
        }
        recommendations = try items.enumerated().map { index, item throws(ValidationError) in
            try Self.text(item, "recommendations[\(index)]", limit: Self.recommendationLimit)
        }
        model = try Self.text(fields["model"], "model", limit: 100)
    }

    /// The answer of `POST /review`.
    var json: JSONValue {
        ["summary": .string(summary), "classification": .string(classification.rawValue), "score": .number(Double(score)),
         "sentiment": .string(sentiment.rawValue), "success": .bool(success), "success_reason": .string(successReason),
         "recommendations": .array(recommendations.map(JSONValue.string)), "model": .string(model)]
    }

    static let fields: Set<String> = ["summary", "classification", "score", "sentiment", "success", "success_reason", "recommendations", "model"]

    /// The JSON Schema a model's structured answer follows: the review without `model` (ours to say, not the
    /// model's). Strict mode takes every field required and no others, and not every server takes length or
    /// count bounds in a schema: those are in the descriptions, and `init(validating:)` holds to them.
    static let answerSchema: JSONValue = [
        "type": "object", "additionalProperties": false,
        "required": ["summary", "classification", "score", "sentiment", "success", "success_reason", "recommendations"],
        "properties": [
            "summary": ["type": "string", "description": .string("What the caller wanted and what the agent did, 1 to \(summaryLimit) characters.")],
            "classification": ["type": "string", "enum": .array(CallClass.allCases.map { .string($0.rawValue) })],
            "score": ["type": "integer", "description": "How well the agent handled the call, from 0 to 100."],
            "sentiment": ["type": "string", "enum": .array(Sentiment.allCases.map { .string($0.rawValue) }), "description": "The caller's."],
            "success": ["type": "boolean", "description": "Whether the call met the rubric."],
            "success_reason": ["type": "string", "description": .string("Why, 1 to \(reasonLimit) characters.")],
            "recommendations": ["type": "array", "description": .string("At most \(maxRecommendations) improvements for the agent."),
                                "items": ["type": "string", "description": .string("1 to \(recommendationLimit) characters.")]],
        ],
    ]

    /// A field that is missing, of the wrong type, or out of bounds.
    struct ValidationError: Error, Equatable, CustomStringConvertible {
        let field: String
        let reason: String
        var description: String { "\(field): \(reason)" }
    }

    private static func text(_ value: JSONValue?, _ field: String, limit: Int) throws(ValidationError) -> String {
        guard let text = value?.stringValue, !text.allSatisfy(\.isWhitespace), text.count <= limit else {
            throw ValidationError(field: field, reason: "must be a text of 1 to \(limit) characters")
        }
        return text
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, _ field: String) throws(ValidationError) -> T
    where T.RawValue == String {
        guard let raw = value?.stringValue, let found = T(rawValue: raw) else {
            throw ValidationError(field: field, reason: "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return found
    }
}

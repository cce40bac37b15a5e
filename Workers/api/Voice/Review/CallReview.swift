import OzziRuntime

/// The AI review of an ended call as the workspace keeps it: the review's own answer, and beside it the
/// fields a person corrected (`overrides`), which a re-run leaves alone.
struct CallReview: Sendable, Decodable, SQLRecord {
    let call_id: String
    let summary: String
    let classification: String
    let score: Int
    let sentiment: String
    let success: Bool
    let success_reason: String
    let recommendations: JSONValue
    let rubric: String
    let model: String
    let overrides: JSONValue
    let reviewed_at: String

    enum CodingKeys: String, SQLColumn {
        case call_id, summary, classification, score, sentiment, success, success_reason, recommendations, rubric, model, overrides, reviewed_at
    }
    typealias Columns = CodingKeys

    static let sentiments = ["positive", "neutral", "negative"]
    /// What a person may correct, and how each is checked.
    static let correctable = ["summary", "sentiment", "success", "score"]

    /// The review with people's corrections applied, and what the review itself said.
    var json: JSONValue {
        var fields: [String: JSONValue] = [
            "summary": .string(summary), "classification": .string(classification), "score": .number(Double(score)),
            "sentiment": .string(sentiment), "success": .bool(success), "success_reason": .string(success_reason),
            "recommendations": recommendations, "rubric": .string(rubric), "model": .string(model), "reviewed_at": .string(reviewed_at),
        ]
        var corrected: [String: JSONValue] = [:]
        for (field, override) in overrides.objectValue ?? [:] {
            guard let value = override["value"] else { continue }
            corrected[field] = fields[field] ?? .null
            fields[field] = value
        }
        fields["overrides"] = overrides
        fields["as_reviewed"] = .object(corrected)
        return .object(fields)
    }

    static let schema = Schema.object([
        .required("summary", Schema.string()), .required("classification", Schema.oneOf(CallClass.all)),
        .required("score", Schema.integer(0...100).described("How well the agent handled the call")),
        .required("sentiment", Schema.oneOf(sentiments).described("The caller's")),
        .required("success", Schema.boolean.described("Whether the call met the number's rubric")),
        .required("success_reason", Schema.string()),
        .required("recommendations", Schema.array(Schema.string())),
        .required("rubric", Schema.string().described("The rubric the call was judged against")),
        .required("model", Schema.string().example("offline")),
        .required("reviewed_at", .timestamp),
        .required("overrides", Schema.dictionary(Schema.object([.required("value", .any), .required("by", Schema.string()), .required("at", .timestamp)]))
            .described("Fields a person corrected: their value, who and when")),
        .required("as_reviewed", Schema.dictionary(.any).described("What the review itself said for each corrected field")),
    ], closed: true)
}

import OzziRuntime

/// `POST /review` (internal): the review of a finished call, asked for by the api once the call has ended.
/// The body is a `ReviewRequest`; the answer is a `CallReview`, by the reviewer `AGENT_MODEL` picks.
extension Router {
    mutating func addReviewRoute(_ voice: VoiceAgent) {
        post("/review", internal: true) { request, _ in
            let review = try await voice.config.reviewer.review(try ReviewRequest(body: request.body))
            return .json(review.json)
        }
    }
}

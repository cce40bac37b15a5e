/// Reviews a finished call from its transcript. Two implementations: the offline one (`OfflineReviewer`,
/// the default: deterministic, no network) and the model's (`ModelReviewer`, an OpenAI-compatible server).
protocol CallReviewer: Sendable {
    func review(_ request: ReviewRequest) async throws -> CallReview
}

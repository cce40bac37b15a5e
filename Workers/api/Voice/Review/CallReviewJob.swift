/// Review one ended call (`CallReviews.run`).
struct CallReviewJob: CallJob {
    static let kind = "call_review"
    let callID: String
}

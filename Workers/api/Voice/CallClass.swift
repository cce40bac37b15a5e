/// What a call was about: the review's answer, or a person's correction.
enum CallClass {
    static let all = ["sales_inquiry", "support_request", "billing", "complaint", "appointment", "follow_up_required", "spam",
                      "general_inquiry", "resolved"]
}

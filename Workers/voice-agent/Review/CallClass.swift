/// What a call was, as a review classifies it: one of a closed set the api stores and filters on.
enum CallClass: String, CaseIterable, Sendable {
    case salesInquiry = "sales_inquiry"
    case supportRequest = "support_request"
    case billing
    case complaint
    case appointment
    case followUpRequired = "follow_up_required"
    case spam
    case generalInquiry = "general_inquiry"
    case resolved
}

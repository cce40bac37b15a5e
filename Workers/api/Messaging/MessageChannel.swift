/// How a message reaches its recipient: one engine (claims, retries, review, rate limits) for both.
enum MessageChannel: String, Codable, Sendable, CaseIterable {
    case sms, email
}

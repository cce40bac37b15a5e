/// An SMS provider behind one call: hand over a message, learn whether it was taken.
protocol SMSProvider: Sendable {
    /// Recorded on each attempt (`simulated`, `twilio`).
    var name: String { get }
    func send(_ sms: OutgoingSMS) async -> SMSSendResult
}

struct OutgoingSMS: Sendable, Equatable {
    let messageID: String
    let to: String
    /// A sender number, or nil when a messaging service picks one.
    let from: String?
    let messagingServiceSid: String?
    let body: String
    /// Where the provider reports status changes (our `/api/v1/webhooks/twilio/status`).
    let statusCallback: String
}

enum SMSSendResult: Sendable, Equatable {
    /// Taken: the provider's id for later callbacks.
    case accepted(providerID: String)
    /// Worth another try later (a connection that failed before the request was sent, 5xx, 429 with its
    /// Retry-After).
    case transient(code: String, message: String, retryAfterSeconds: Double?)
    /// Will never work as sent (invalid number, unsubscribed).
    case permanent(code: String, message: String)
    /// The request reached the provider but no answer came back (a read timeout, a connection cut after
    /// the request was sent): it may have been sent. Twilio's Messages API has no idempotency key, so
    /// another try could send it twice; the message goes to `review` for a person to decide.
    case unknown(code: String, message: String)
}

/// What one provider call came to, for either channel (SMS or email): the engine records it the same way.
enum SendResult: Sendable, Equatable {
    /// Taken: the provider's id for later callbacks.
    case accepted(providerID: String)
    /// Worth another try later (a connection that failed before the request was sent, 5xx, 429 with its
    /// Retry-After).
    case transient(code: String, message: String, retryAfterSeconds: Double?)
    /// Will never work as sent (invalid number, unsubscribed).
    case permanent(code: String, message: String)
    /// The request reached the provider but no answer came back (a read timeout, a connection cut after
    /// the request was sent): it may have been sent. With no idempotency key (Twilio, SMTP), another try
    /// could send it twice; the message goes to `review` for a person to decide.
    case unknown(code: String, message: String)
}

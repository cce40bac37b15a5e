/// What becomes of an account email's job after one attempt: a small pure decision, so the retry rules
/// are tested without a queue or a provider.
enum SystemEmailOutcome: Equatable {
    /// Taken by the provider: the job is done.
    case sent(providerID: String)
    /// Try again after this many seconds (the message's redelivery delay on the queue).
    case retry(afterSeconds: Double)
    /// Never to be tried again: the job goes to the dead-letter queue with this line in the log.
    case deadLetter(String)

    /// Waits between attempts after a failure the provider may get over (an outage, a 429 without
    /// Retry-After): with the `JOBS` consumer's 5 retries, an email outlives about 1.7 hours of outage
    /// before it reaches the dead-letter queue, where it is kept, not dropped.
    static let backoffSeconds: [Double] = [30, 120, 600, 1800, 3600]

    /// - Parameters:
    ///   - attempt: 1 for the first delivery of the job.
    ///   - idempotent: whether the provider drops a repeat of the same idempotency key (Resend, the
    ///     simulated one): only then is an attempt whose fate is unknown tried again.
    static func decide(_ result: SendResult, attempt: Int, idempotent: Bool) -> SystemEmailOutcome {
        let backoff = backoffSeconds[min(max(attempt - 1, 0), backoffSeconds.count - 1)]
        switch result {
        case .accepted(let providerID):
            return .sent(providerID: providerID)
        case .transient(_, _, let retryAfter):
            return .retry(afterSeconds: max(retryAfter ?? backoff, 1))
        case .permanent(let code, let message):
            return .deadLetter("the provider refused the email for good (\(code): \(message))")
        case .unknown(let code, let message):
            guard idempotent else {
                return .deadLetter("the provider may or may not have sent the email (\(code): \(message)); "
                                   + "not retried, as another attempt could send it twice: check the provider's log, then resend by hand if it never went out")
            }
            return .retry(afterSeconds: backoff)
        }
    }
}

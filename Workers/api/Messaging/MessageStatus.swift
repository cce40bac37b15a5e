/// Where a message is. Statuses only move forward (by rank): a late `sent` callback never overwrites
/// `delivered`, and nothing moves a final status except a retry by hand.
enum MessageStatus: String, Codable, Sendable, CaseIterable {
    case pending, sending, sent, delivered, undelivered, failed, canceled
    /// The provider may or may not have taken it (the host stopped mid-attempt): a person decides.
    case review

    var rank: Int {
        switch self {
        case .pending: 0
        case .sending, .review: 1
        case .sent: 2
        case .delivered, .undelivered, .failed, .canceled: 3
        }
    }

    var isFinal: Bool { rank == 3 }

    /// Whether a provider's report of `next` moves this message forward.
    func advances(to next: MessageStatus) -> Bool {
        next.rank > rank
    }

    /// Twilio's `MessageStatus` values we track; the in-between ones (queued, sending...) change nothing.
    init?(providerStatus: String) {
        switch providerStatus.lowercased() {
        case "sent": self = .sent
        case "delivered", "read": self = .delivered
        case "undelivered": self = .undelivered
        case "failed": self = .failed
        case "canceled": self = .canceled
        default: return nil
        }
    }
}

/// Where an email is, as the API answers it: the engine's status while it is on our side (queued,
/// review, canceled, failed), then how far the provider's events took it. Provider events only move it
/// forward (by rank): a late `delivered` never overwrites `opened`, and nothing moves `bounced` or
/// `complained`.
enum EmailStatus: String, Codable, Sendable, CaseIterable {
    case queued, sent, delivery_delayed, delivered, opened, clicked, bounced, complained, failed, canceled, review

    /// The order provider events may move an email in (`messages.email_status`).
    var rank: Int {
        switch self {
        case .queued, .review, .canceled: 0
        case .sent: 1
        case .delivery_delayed: 2
        case .delivered: 3
        case .opened: 4
        case .clicked: 5
        case .bounced, .complained, .failed: 6
        }
    }

    func advances(to next: EmailStatus) -> Bool { next.rank > rank }

    /// The engine's status of the message, refined by its email status once the provider took it.
    init(message: MessageStatus, email: EmailStatus?) {
        switch message {
        case .pending, .sending: self = .queued
        case .review: self = .review
        case .canceled: self = .canceled
        case .failed: self = .failed
        case .sent, .delivered, .undelivered: self = email ?? (message == .delivered ? .delivered : message == .undelivered ? .bounced : .sent)
        }
    }

    /// The engine status a provider event leaves the message in: final once delivered or bounced.
    var messageStatus: MessageStatus? {
        switch self {
        case .delivered, .opened, .clicked, .complained: .delivered
        case .bounced: .undelivered
        case .failed: .failed
        case .sent, .delivery_delayed: .sent
        case .queued, .review, .canceled: nil
        }
    }
}

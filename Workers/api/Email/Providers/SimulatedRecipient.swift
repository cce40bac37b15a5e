/// What the simulated email provider does for a recipient: the documented test addresses at
/// `simulator.ozzi.test` (a `.test` domain can never be a real mailbox), with an optional `+label` so
/// tests can tell sends apart (`bounced+42@simulator.ozzi.test`); any other address is delivered.
enum SimulatedRecipient: Equatable {
    case delivered
    /// A hard bounce (`email.bounced`, type `Permanent`) after the send is accepted.
    case bounced
    /// Delivered, then marked as spam (`email.complained`).
    case complained
    /// `email.delivery_delayed`, delivered later.
    case delayed
    /// Refused at send time (422 `validation_error`): a permanent failure.
    case rejected
    /// 500 `application_error` on the first two attempts, then accepted.
    case flaky
    /// 429 `rate_limit_exceeded` with `retry-after: 1` on the first attempt, then accepted.
    case throttled
    /// Delivered, opened, then a link clicked.
    case engaged

    static let domain = "simulator.ozzi.test"

    init(address: String) {
        let address = address.lowercased()
        guard let at = address.lastIndex(of: "@"), address[address.index(after: at)...] == Self.domain else {
            self = .delivered
            return
        }
        let local = address[..<at]
        self = switch local.prefix { $0 != "+" } {
        case "bounced": .bounced
        case "complained": .complained
        case "delayed": .delayed
        case "rejected": .rejected
        case "flaky": .flaky
        case "throttled": .throttled
        case "engaged": .engaged
        default: .delivered
        }
    }

    /// The failure the provider answers on this attempt (1 for the first), or nil when it takes the email.
    func failure(attempt: Int) -> SendResult? {
        switch self {
        case .rejected:
            .permanent(code: "validation_error", message: "The recipient was rejected (simulated)")
        case .flaky where attempt <= 2:
            .transient(code: "application_error", message: "Internal server error (simulated)", retryAfterSeconds: nil)
        case .throttled where attempt == 1:
            .transient(code: "rate_limit_exceeded", message: "Too many requests (simulated)", retryAfterSeconds: 1)
        default:
            nil
        }
    }

    /// Whether the answer depends on earlier attempts (only these are counted).
    var countsAttempts: Bool { self == .flaky || self == .throttled }

    /// The webhook events after an accepted send, each with its delay in milliseconds: those a Resend
    /// webhook subscribed to `ResendEvent.subscribed` reports (not `email.sent`: the send's own answer
    /// already said so).
    func events(deliveryMs: Int) -> [(type: String, delayMs: Int)] {
        switch self {
        case .bounced: [("email.bounced", deliveryMs)]
        case .complained: [("email.delivered", deliveryMs), ("email.complained", 2 * deliveryMs)]
        case .delayed: [("email.delivery_delayed", deliveryMs), ("email.delivered", 3 * deliveryMs)]
        case .engaged: [("email.delivered", deliveryMs), ("email.opened", 2 * deliveryMs), ("email.clicked", 3 * deliveryMs)]
        case .delivered, .flaky, .throttled, .rejected: [("email.delivered", deliveryMs)]
        }
    }
}

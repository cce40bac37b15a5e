import OzziRuntime

/// A Resend webhook's body (`{"type":"email.delivered","created_at":..,"data":{"email_id":..}}`), read
/// for what moves an email: its id at the provider, the status it reports, and a bounce's kind.
struct ResendEvent: Sendable, Equatable {
    /// The event types a workspace's Resend webhook should be subscribed to: each moves an email on.
    /// `email.sent` is left out: Resend's answer to the send already said it, and its webhook, often
    /// overtaking our record of that answer, would only be refused and retried. (It is still accepted.)
    static let subscribed = ["email.delivered", "email.delivery_delayed", "email.bounced", "email.complained", "email.opened",
                             "email.clicked", "email.failed"]

    let type: String
    let emailID: String
    let status: EmailStatus?
    /// A bounce the provider calls permanent (a hard bounce: suppress at once) or not (a soft one: count).
    let permanentBounce: Bool
    let detail: String?

    init(_ body: JSONValue) throws {
        guard let object = body.objectValue, let type = object["type"]?.stringValue else {
            throw APIError.invalidField("type", "is required")
        }
        guard let data = object["data"]?.objectValue, let emailID = data["email_id"]?.stringValue, !emailID.isEmpty else {
            throw APIError.invalidField("data.email_id", "is required")
        }
        self.type = type
        self.emailID = emailID
        status = switch type {
        case "email.sent": .sent
        case "email.delivered": .delivered
        case "email.delivery_delayed": .delivery_delayed
        case "email.bounced": .bounced
        case "email.complained": .complained
        case "email.opened": .opened
        case "email.clicked": .clicked
        case "email.failed": .failed
        default: nil  // a type we do not track (email.scheduled, contact.*, domain.*): acknowledged, nothing changes
        }
        let bounce = data["bounce"]?.objectValue
        // Resend reports SES's bounce types: `Permanent`, `Transient`, `Undetermined`. Without a type a
        // bounce is taken as permanent, the safe side for the sender's reputation.
        permanentBounce = (bounce?["type"]?.stringValue).map { $0.lowercased() != "transient" && $0.lowercased() != "undetermined" } ?? true
        detail = bounce?["message"]?.stringValue ?? data["failed"]?.objectValue?["reason"]?.stringValue
    }
}

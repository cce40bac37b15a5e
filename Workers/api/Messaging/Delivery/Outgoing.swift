/// A claimed send as its provider takes it: an SMS, or an email (which providers may take in batches).
enum Outgoing: Sendable {
    case sms(OutgoingSMS, any SMSProvider)
    case email(OutgoingEmail, any EmailProvider)

    var providerName: String {
        switch self {
        case .sms(_, let provider): provider.name
        case .email(_, let provider): provider.name
        }
    }
}

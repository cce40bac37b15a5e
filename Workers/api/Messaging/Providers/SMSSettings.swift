/// A workspace's SMS provider: which one, its sender, and (Twilio) its credentials. The auth token is
/// never answered back, only whether one is set.
struct SMSSettings: Sendable, Equatable {
    var provider: String
    var fromNumber: String?
    var messagingServiceSid: String?
    var accountSid: String?
    var authToken: String?
    var helpText: String?

    static let providers = ["simulated", "twilio", "external"]
    static let defaultHelpText = "Reply STOP to unsubscribe, START to subscribe again."
    static let `default` = SMSSettings(provider: "simulated")

    var json: JSONValueShape {
        JSONValueShape(provider: provider, from_number: fromNumber, messaging_service_sid: messagingServiceSid,
                       account_sid: accountSid, auth_token_set: authToken != nil, help_text: helpText ?? Self.defaultHelpText)
    }

    struct JSONValueShape: Encodable {
        let provider: String
        let from_number: String?
        let messaging_service_sid: String?
        let account_sid: String?
        let auth_token_set: Bool
        let help_text: String
    }
}

import OzziRuntime

/// Picks each workspace's provider: the simulated one (default), Twilio with the workspace's sealed
/// credentials, or none (`external`: outside services lease messages through the delivery API).
struct SMSProviders: Sendable {
    let settings: SMSSettingsStore
    let simulated: SimulatedSMSProvider
    let outbound: OutboundFetcher
    let twilioBaseURL: String
    /// How long a send waits for Twilio's answer (`TWILIO_TIMEOUT_MS`); past it the send's fate is unknown.
    let twilioTimeoutMilliseconds: Int
    /// Our public status-callback URL, handed to providers with every message.
    let statusCallbackURL: String

    func provider(for workspace: SMSSettings) throws -> any SMSProvider {
        switch workspace.provider {
        case "twilio":
            guard let sid = workspace.accountSid, let token = workspace.authToken else {
                throw APIError(status: 422, code: "sms_not_configured", message: "the workspace's Twilio account sid or auth token is missing")
            }
            return TwilioSMSClient(baseURL: twilioBaseURL, accountSid: sid, authToken: token, outbound: outbound,
                                   timeoutMilliseconds: twilioTimeoutMilliseconds)
        default:
            return simulated
        }
    }

    /// The auth token that signs callbacks from `accountSid` (the simulated account's, or a workspace's).
    func authToken(accountSid: String) async throws -> String? {
        accountSid == SimulatedSMSProvider.accountSid ? simulated.authToken : try await settings.authToken(accountSid: accountSid)
    }
}

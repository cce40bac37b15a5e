import OzziRuntime

/// A workspace's Twilio account as our REST clients reach it (Messages, Calls, numbers): the base URL, the
/// account's credentials for HTTP Basic auth, the host's outbound fetch and its timeout.
struct TwilioAccount: Sendable {
    let baseURL: String
    let accountSid: String
    let authToken: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    var authorization: String { Self.authorization(accountSid: accountSid, authToken: authToken) }

    static func authorization(accountSid: String, authToken: String) -> String {
        "Basic " + Base64.encode(Array("\(accountSid):\(authToken)".utf8))
    }

    /// The code of Twilio's error JSON (a number or a string), or the status when it has none.
    static func errorCode(_ json: JSONValue?, status: Int) -> String {
        json?["code"].flatMap { $0.stringValue ?? $0.numberValue.map { String(Int($0)) } } ?? "\(status)"
    }

    /// Twilio refused `what`: a 502 naming its code (also in `details.provider_code`) and message.
    static func refusal(_ what: String, status: Int, json: JSONValue?) -> APIError {
        let code = errorCode(json, status: status)
        return APIError(status: 502, code: "provider_refused", message: "Twilio refused \(what) (\(code)): \(json?["message"]?.stringValue ?? "status \(status)")",
                        details: ["provider_code": .string(code)])
    }
}

extension SMSProviders {
    /// The workspace's Twilio account, when it sends with one.
    func twilioAccount(_ workspace: SMSSettings) -> TwilioAccount? {
        guard workspace.provider == "twilio", let sid = workspace.accountSid, let token = workspace.authToken else { return nil }
        return TwilioAccount(baseURL: twilioBaseURL, accountSid: sid, authToken: token, outbound: outbound, timeoutMilliseconds: twilioTimeoutMilliseconds)
    }
}

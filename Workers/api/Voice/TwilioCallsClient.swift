import OzziRuntime

/// Twilio's Calls API: `POST {base}/2010-04-01/Accounts/{sid}/Calls.json` with HTTP Basic auth; Twilio
/// then asks `Url` what to do once the callee answers (our incoming route: TwiML that connects the
/// agent), and reports progress to `StatusCallback`.
struct TwilioCallsClient: Sendable {
    let baseURL: String
    let accountSid: String
    let authToken: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    /// The new call's sid; a refusal is an error naming Twilio's code and message.
    func place(from: String, to: String, url: String, statusCallback: String) async throws -> String {
        var form = [("To", to), ("From", from), ("Url", url), ("Method", "POST"), ("StatusCallback", statusCallback), ("StatusCallbackMethod", "POST")]
        form += ["initiated", "ringing", "answered", "completed"].map { ("StatusCallbackEvent", $0) }
        var request = OutboundRequest(
            method: "POST", url: "\(baseURL)/2010-04-01/Accounts/\(accountSid)/Calls.json",
            headers: ["authorization": "Basic " + Base64.encode(Array("\(accountSid):\(authToken)".utf8)),
                      "content-type": "application/x-www-form-urlencoded", "accept": "application/json"],
            body: Array(FormEncoding.encode(form).utf8), timeoutMilliseconds: timeoutMilliseconds)
        // A call placed twice rings twice: never re-sent within the request.
        request.resendable = false
        let response = try await outbound.fetch(request)
        let json = try? JSONValue(jsonBytes: response.body)
        guard (200..<300).contains(response.status), let sid = json?["sid"]?.stringValue, !sid.isEmpty else {
            let code = json?["code"].flatMap { $0.stringValue ?? $0.numberValue.map { String(Int($0)) } } ?? "\(response.status)"
            throw APIError(status: 502, code: "provider_refused", message: "Twilio refused the call (\(code)): \(json?["message"]?.stringValue ?? "status \(response.status)")",
                           details: ["provider_code": .string(code)])
        }
        return sid
    }
}

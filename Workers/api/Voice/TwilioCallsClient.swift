import OzziRuntime

/// Twilio's Calls API: `POST {base}/2010-04-01/Accounts/{sid}/Calls.json` with HTTP Basic auth; Twilio
/// then asks `Url` what to do once the callee answers (our incoming route: TwiML that connects the
/// agent), and reports progress to `StatusCallback`.
struct TwilioCallsClient: Sendable {
    let account: TwilioAccount

    /// The new call's sid; a refusal is an error naming Twilio's code and message.
    func place(from: String, to: String, url: String, statusCallback: String) async throws -> String {
        var form = [("To", to), ("From", from), ("Url", url), ("Method", "POST"), ("StatusCallback", statusCallback), ("StatusCallbackMethod", "POST")]
        form += ["initiated", "ringing", "answered", "completed"].map { ("StatusCallbackEvent", $0) }
        var request = OutboundRequest(
            method: "POST", url: "\(account.baseURL)/2010-04-01/Accounts/\(account.accountSid)/Calls.json",
            headers: ["authorization": account.authorization, "content-type": "application/x-www-form-urlencoded", "accept": "application/json"],
            body: Array(FormEncoding.encode(form).utf8), timeoutMilliseconds: account.timeoutMilliseconds)
        // A call placed twice rings twice: never re-sent within the request.
        request.resendable = false
        let response = try await account.outbound.fetch(request)
        let json = try? JSONValue(jsonBytes: response.body)
        guard (200..<300).contains(response.status), let sid = json?["sid"]?.stringValue, !sid.isEmpty else {
            throw TwilioAccount.refusal("the call", status: response.status, json: json)
        }
        return sid
    }

    /// What Twilio charged for a call: a positive number of `unit`s, or nil while Twilio has not priced it
    /// yet (status callbacks carry no price, and the call resource has it only some time after the end).
    func price(callSid: String) async throws -> (micros: Int64, unit: String)? {
        let request = OutboundRequest(
            method: "GET", url: "\(account.baseURL)/2010-04-01/Accounts/\(account.accountSid)/Calls/\(callSid).json",
            headers: ["authorization": account.authorization, "accept": "application/json"], body: [], timeoutMilliseconds: account.timeoutMilliseconds)
        let response = try await account.outbound.fetch(request)
        let json = try? JSONValue(jsonBytes: response.body)
        guard response.status == 200, let json else { throw TwilioAccount.refusal("the call lookup", status: response.status, json: json) }
        // Twilio writes prices as negative decimal strings ("-0.01400"); some libraries send numbers.
        guard let text = json["price"]?.stringValue ?? json["price"]?.numberValue.map({ String($0) }), let price = Double(text) else { return nil }
        return (Int64((abs(price) * 1_000_000).rounded()), json["price_unit"]?.stringValue ?? "USD")
    }
}

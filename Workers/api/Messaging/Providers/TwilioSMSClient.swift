import OzziRuntime

/// Twilio's Messages API through outbound fetch: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`
/// with HTTP Basic auth and form fields; errors mapped to transient (429, 5xx, failures before the
/// request was sent), unknown (no answer after it was sent) or permanent.
struct TwilioSMSClient: SMSProvider {
    let name = "twilio"
    /// `https://api.twilio.com` unless configured (`TWILIO_API_BASE`), so tests can point it at a stub.
    let baseURL: String
    let accountSid: String
    let authToken: String
    let outbound: OutboundFetcher
    let timeoutMilliseconds: Int

    func send(_ sms: OutgoingSMS) async -> SendResult {
        var form = [("To", sms.to), ("Body", sms.body), ("StatusCallback", sms.statusCallback)]
        if let service = sms.messagingServiceSid { form.append(("MessagingServiceSid", service)) } else { form.append(("From", sms.from ?? "")) }
        var request = OutboundRequest(
            method: "POST", url: "\(baseURL)/2010-04-01/Accounts/\(accountSid)/Messages.json",
            headers: [
                "authorization": TwilioAccount.authorization(accountSid: accountSid, authToken: authToken),
                "content-type": "application/x-www-form-urlencoded", "accept": "application/json",
            ],
            body: Array(FormEncoding.encode(form).utf8), timeoutMilliseconds: timeoutMilliseconds)
        // Twilio has no idempotency key: a send is never re-sent within a call, even by curl.
        request.resendable = false
        let response: OutboundResponse
        do {
            response = try await outbound.fetch(request)
        } catch let error as OutboundError where error.requestSent {
            return .unknown(code: "no_answer", message: "\(error)")
        } catch {
            return .transient(code: "network", message: "\(error)", retryAfterSeconds: nil)
        }
        return Self.result(status: response.status, headers: response.headers, body: response.body)
    }

    /// What an answer from the Messages API means for the message.
    static func result(status: Int, headers: HTTPHeaders, body: [UInt8]) -> SendResult {
        let json = try? JSONValue(jsonBytes: body)
        if (200..<300).contains(status) {
            guard let sid = json?["sid"]?.stringValue, !sid.isEmpty else {
                return .transient(code: "\(status)", message: "Twilio answered \(status) without a message sid", retryAfterSeconds: nil)
            }
            return .accepted(providerID: sid)
        }
        // Codes may come as numbers or strings.
        let code = TwilioAccount.errorCode(json, status: status)
        let message = json?["message"]?.stringValue ?? "Twilio answered \(status)"
        if status == 429 || code == "20429" {
            return .transient(code: code, message: message, retryAfterSeconds: headers["retry-after"].flatMap(Double.init))
        }
        if status >= 500 { return .transient(code: code, message: message, retryAfterSeconds: nil) }
        return .permanent(code: code, message: message)
    }
}

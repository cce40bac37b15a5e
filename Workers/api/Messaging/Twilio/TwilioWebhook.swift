import OzziRuntime

/// A form POST from Twilio (or the simulated provider), its signature checked against our public URL.
struct TwilioWebhook {
    let fields: [(String, String)]

    func value(_ name: String) -> String? {
        fields.first { $0.0 == name }?.1
    }

    func required(_ name: String) throws -> String {
        guard let value = value(name), !value.isEmpty else { throw APIError.invalidField(name, "is required") }
        return value
    }

    private static let sid = Schema.text(max: 64)

    /// A status callback's fields (Twilio sends more; these are the ones read).
    static let statusForm = Schema.object([
        .required("AccountSid", sid.example("AC0123456789abcdef0123456789abcdef")), .required("MessageSid", sid.example("SM0123456789abcdef0123456789abcdef")),
        .required("MessageStatus", Schema.text(max: 32).example("delivered")), .optional("ErrorCode", Schema.string(max: 16)),
    ])

    /// An inbound message's fields.
    static let messageForm = Schema.object([
        .required("AccountSid", sid.example("AC0123456789abcdef0123456789abcdef")), .required("MessageSid", sid.example("SM0123456789abcdef0123456789abcdef")),
        .required("From", Schema.text(max: 40).example("+12025550143")), .required("To", Schema.text(max: 40).example("+12025550100")),
        .optional("Body", Schema.string(max: 1600).example("STOP")),
    ])

    /// Parses the form (its route already refused another media type, `APIOperation.checked`) and checks
    /// `X-Twilio-Signature` with the auth token of the body's `AccountSid`: 403 for a missing or bad signature
    /// or an account we do not know.
    init(_ request: Request, publicURL: String, providers: SMSProviders) async throws {
        try await self.init(fields: FormEncoding.parse(request.text), signature: request.headers["x-twilio-signature"], url: publicURL + request.target,
                            providers: providers)
    }

    /// The same check for a form another worker received (the voice agent's webhooks), given as its fields,
    /// signature and the URL Twilio called. `accountSid` names the signer when the fields do not (a
    /// WebSocket upgrade, signed over its URL alone).
    init(fields: [(String, String)], signature: String?, url: String, providers: SMSProviders, accountSid: String? = nil) async throws {
        self.fields = fields
        guard let signature, !signature.isEmpty else {
            throw APIError.forbidden("the X-Twilio-Signature header is missing")
        }
        guard let account = accountSid ?? fields.first(where: { $0.0 == "AccountSid" })?.1,
              let token = try await providers.authToken(accountSid: account) else {
            throw APIError.forbidden("the AccountSid is not one this host knows")
        }
        guard TwilioSignature.isValid(signature, url: url, parameters: fields, authToken: token) else {
            throw APIError.forbidden("the X-Twilio-Signature does not match \(url) (is the public URL configured as the one Twilio calls?)")
        }
    }
}

import OzziRuntime

/// `/api/v1/voice/settings` (the Twilio API key and TwiML app for calling from the browser, admins) and
/// `POST /api/v1/voice/browser-token` (a member's short-lived Voice SDK access token).
extension RouteGroup {
    func addBrowserCallingRoutes(_ s: VoiceDomain) {
        let answer = Schema.object([
            .required("api_key_sid", Schema.string().example("SK0123456789abcdef0123456789abcdef")),
            .required("api_key_secret_set", Schema.boolean.described("The secret is never answered back")),
            .required("twiml_app_sid", Schema.string().example("AP0123456789abcdef0123456789abcdef")),
            .required("updated_at", .timestamp),
        ], closed: true)
        let body = Schema.object([
            .required("api_key_sid", Schema.string(pattern: "^SK[0-9a-fA-F]{32}$").example("SK0123456789abcdef0123456789abcdef")
                .patternMeaning("a Twilio API key sid: SK and 32 hex digits")),
            .optional("api_key_secret", Schema.text(max: 128).described("Required when the API key is new; kept when omitted")),
            .required("twiml_app_sid", Schema.string(pattern: "^AP[0-9a-fA-F]{32}$").example("AP0123456789abcdef0123456789abcdef")
                .patternMeaning("a TwiML app sid: AP and 32 hex digits").described("Its voice URL: VOICE_URL/browser")),
        ], closed: true)

        authed("PUT", "/settings", "Set the Twilio API key and TwiML app members call from the browser with", tag: "voice",
               body: .json(body), answers: .json(answer)) { request, _, principal in
            try principal.require(.admin, to: "change voice settings")
            let given = try JSONBody(request)
            let saved = try await s.browser.put(principal.scope, apiKeySid: try given.requiredString("api_key_sid", max: 34),
                                                apiKeySecret: try given.string("api_key_secret", max: 128),
                                                twimlAppSid: try given.requiredString("twiml_app_sid", max: 34))
            return .json(saved.json)
        }

        authed("GET", "/settings", "The browser-calling settings (without the secret)", tag: "voice", answers: .json(answer)) { _, _, principal in
            guard let saved = try await s.browser.get(principal.scope) else { throw APIError.notFound("voice settings") }
            return .json(saved.json)
        }

        authed("POST", "/browser-token", "A short-lived Twilio Voice SDK access token for the caller (15 minutes)", tag: "voice",
               answers: .json(Schema.object([
                   .required("token", Schema.string().described("A JWT for Twilio's Voice SDK (Device)")),
                   .required("identity", Schema.string().example("member_usr_01jd3k5v7n0000000000000000")),
                   .required("expires_at", .timestamp),
               ], closed: true))) { _, _, principal in
            .json(try await s.browser.token(principal.scope, identity: "member_" + principal.userID))
        }
    }
}

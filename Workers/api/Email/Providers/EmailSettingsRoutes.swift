import OzziRuntime

/// `/api/v1/email/settings`: the workspace's email provider, its credentials and default sender (admins
/// and owners; secrets are written, never read back).
extension RouteGroup {
    func addEmailSettingsRoutes(_ settings: EmailSettingsStore, senders: SendingDomains) {
        authed("GET", "", "The workspace's email provider settings (secrets are never shown, only whether each is set)", tag: "emails",
               answers: .json(.model(EmailSettings.JSONShape.self))) { _, _, principal in
            try principal.require(.admin, to: "see email settings")
            return .json(try await settings.get(principal.scope).json)
        }

        authed("PUT", "", "Set the email provider: simulated | resend (resend_api_key, resend_webhook_secret) | smtp (smtp_host, "
               + "smtp_port, smtp_security, smtp_username, smtp_password); default_from on a verified sending domain (else 409)", tag: "emails",
               body: .json(EmailSettings.JSONShape.input), answers: .json(.model(EmailSettings.JSONShape.self))) { request, _, principal in
            try principal.require(.admin, to: "change email settings")
            let body = try JSONBody(request)
            let current = try await settings.get(principal.scope)
            let updated = try EmailSettingsInput(body).applied(to: current)
            // The default sender must be one the workspace may send from with the provider it now chooses.
            if let from = updated.defaultFrom {
                try await senders.requireSender(principal.scope, from, field: "default_from", provider: updated.provider)
            }
            try await settings.save(principal.scope, updated)
            return .json(updated.json)
        }
    }
}

/// A `PUT /email/settings` body read against what is stored: omitted secrets kept, `null` ones removed.
struct EmailSettingsInput {
    let body: JSONBody

    init(_ body: JSONBody) {
        self.body = body
    }

    func applied(to current: EmailSettings) throws -> EmailSettings {
        guard let provider = try body.choice("provider", EmailSettings.providers) else { throw APIError.invalidField("provider", "is required") }
        var settings = EmailSettings(provider: provider)
        settings.defaultFrom = try body.string("default_from", max: 320).map { try MailAddress.input($0, field: "default_from").formatted }
        settings.resendAPIKey = try secret("resend_api_key", current: current.resendAPIKey)
        if let key = settings.resendAPIKey, !key.hasPrefix("re_") {
            throw APIError.invalidField("resend_api_key", "a Resend API key starts with re_")
        }
        settings.resendWebhookSecret = try secret("resend_webhook_secret", current: current.resendWebhookSecret)
        if let secret = settings.resendWebhookSecret, !Self.isWebhookSecret(secret) {
            throw APIError.invalidField("resend_webhook_secret", "a webhook signing secret is whsec_ followed by base64")
        }
        if let host = try body.string("smtp_host", max: 253) {
            guard host.range(of: EmailSettings.JSONShape.hostPattern, options: .regularExpression) != nil else {
                throw APIError.invalidField("smtp_host", "must be a host name or an IP address")
            }
            let security = try body.choice("smtp_security", SMTPSubmission.Security.allCases.map(\.rawValue))
                .flatMap(SMTPSubmission.Security.init) ?? .startTLS
            let port = try body.int("smtp_port", 1...65_535) ?? (security == .implicitTLS ? 465 : 587)
            // A login is a username and its password together; the stored password goes only to the server
            // and account it was given for.
            let auth = body.fields["smtp_auth"]?.objectValue
            let username = auth?["username"]?.stringValue
            var relay = EmailSettings.SMTPRelay(host: host.lowercased(), port: port, security: security, username: username, password: nil)
            let sameAccount = current.smtp.map { $0.host == relay.host && $0.username == relay.username } ?? false
            relay.password = auth?["password"]?.stringValue ?? (sameAccount ? current.smtp?.password : nil)
            if relay.username != nil && relay.password == nil {
                // Well-formed, but there is no stored password for this server and account to keep.
                throw APIError.conflict("no SMTP password is stored for this host and username; send smtp_auth.password",
                                        details: .object(["field": "smtp_auth.password"]))
            }
            settings.smtp = relay
        }
        switch provider {
        case "resend" where settings.resendAPIKey == nil:
            // Valid on its face, but there is no stored key to keep: the workspace's state is what is missing.
            throw APIError.conflict("no Resend API key is stored for this workspace; send resend_api_key")
        case "smtp" where settings.smtp == nil:
            throw APIError.invalidField("smtp_host", "is required with the smtp provider")
        default:
            return settings
        }
    }

    /// A given secret, the stored one when omitted, none when `null`.
    private func secret(_ name: String, current: String?) throws -> String? {
        if body.fields[name] == .null { return nil }
        return try body.string(name, max: 256) ?? current
    }

    static func isWebhookSecret(_ text: String) -> Bool {
        text.hasPrefix("whsec_") && Base64.decode(String(text.dropFirst(6))).map { $0.count >= 16 } == true
    }
}

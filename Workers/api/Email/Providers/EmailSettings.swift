import OzziRuntime

/// A workspace's email provider: the simulated one (the default), Resend with its API key and webhook
/// signing secret, or the workspace's own SMTP relay. Secrets are never answered back, only whether
/// each is set.
struct EmailSettings: Sendable, Equatable {
    var provider: String
    /// `Name <address>` used when a send names no sender.
    var defaultFrom: String?
    var resendAPIKey: String?
    /// `whsec_...`: checks the Svix signatures on Resend's webhooks for this workspace.
    var resendWebhookSecret: String?
    var smtp: SMTPRelay?

    struct SMTPRelay: Sendable, Equatable {
        var host: String
        var port: Int
        var security: SMTPSubmission.Security
        var username: String?
        var password: String?
    }

    static let providers = ["simulated", "resend", "smtp"]
    static let `default` = EmailSettings(provider: "simulated")

    var json: JSONShape {
        JSONShape(provider: provider, default_from: defaultFrom, resend_api_key_set: resendAPIKey != nil,
                  resend_webhook_secret_set: resendWebhookSecret != nil, smtp_host: smtp?.host, smtp_port: smtp?.port,
                  smtp_security: smtp?.security.rawValue, smtp_username: smtp?.username, smtp_password_set: smtp?.password != nil)
    }

    struct JSONShape: Encodable {
        let provider: String
        let default_from: String?
        let resend_api_key_set: Bool
        let resend_webhook_secret_set: Bool
        let smtp_host: String?
        let smtp_port: Int?
        let smtp_security: String?
        let smtp_username: String?
        let smtp_password_set: Bool
    }
}

extension EmailSettings.JSONShape: APIModel {
    static let schemaName = "EmailSettings"
    static let schema = Schema.object([
        .required("provider", .oneOf(EmailSettings.providers)),
        .optional("default_from", Schema.string().example("Ada at Example <ada@mail.example.com>")),
        .required("resend_api_key_set", .boolean),
        .required("resend_webhook_secret_set", .boolean),
        .optional("smtp_host", Schema.string().example("smtp.example.com")),
        .optional("smtp_port", .integer(1...65_535)),
        .optional("smtp_security", .oneOf(SMTPSubmission.Security.allCases.map(\.rawValue))),
        .optional("smtp_username", .string()),
        .required("smtp_password_set", .boolean),
    ], closed: true)

    static let hostPattern = "^[A-Za-z0-9.:-]{1,253}$"
    /// `whsec_` and the base64 of at least 16 bytes (padded), as Resend shows it: what `isWebhookSecret` decodes.
    static let webhookSecretPattern = "^whsec_(?:[A-Za-z0-9+/]{4}){5,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"

    /// The body of `PUT /email/settings`. A secret left out keeps the stored one (the SMTP password only
    /// while the host and username stay the same); `null` removes it.
    static var input: Schema {
        let from = Property.optional("default_from", MailAddress.schema.nullable.example("Ada <ada@mail.example.com>"))
        let apiKey = Property.optional("resend_api_key", Schema.string(min: 4, max: 256, pattern: "^re_").nullable
            .described("Omitted: the stored one is kept; null removes it"))
        let webhookSecret = Property.optional("resend_webhook_secret", Schema.string(max: 256, pattern: webhookSecretPattern).nullable
            .described("The signing secret of the workspace's Resend webhook (pointed at /api/v1/webhooks/resend and subscribed to \(ResendEvent.subscribed.joined(separator: ", "))); omitted: kept; null removes it"))
        let smtp: [Property] = [
            .optional("smtp_port", Schema.integer(1...65_535).nullable.described("Default 587 with starttls, 465 with tls")),
            .optional("smtp_security", Schema.oneOf(SMTPSubmission.Security.allCases.map(\.rawValue)).nullable.described("Default starttls")),
            .optional("smtp_auth", Schema.object([
                .required("username", Schema.string(min: 1, max: 256).example("relay")),
                .optional("password", Schema.string(min: 1, max: 256)
                    .described("Omitted: the stored one is kept while host and username stay the same")),
            ], closed: true).nullable.described("The relay's login (AUTH PLAIN or LOGIN); omitted or null: none")),
        ]
        return .oneOf([
            .object([.required("provider", .oneOf(["simulated"])), from, apiKey, webhookSecret,
                     .optional("smtp_host", Schema.string(pattern: hostPattern).nullable)] + smtp),
            .object([.required("provider", .oneOf(["resend"])), from, apiKey, webhookSecret,
                     .optional("smtp_host", Schema.string(pattern: hostPattern).nullable)] + smtp),
            .object([.required("provider", .oneOf(["smtp"])), from, apiKey, webhookSecret,
                     .required("smtp_host", Schema.string(pattern: hostPattern).example("smtp.example.com"))] + smtp),
        ])
    }
}

import OzziRuntime

extension Email: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("msg_01jd3k5v7n0000000000000000")),
        .optional("contact_id", Schema.string().example("con_01jd3k5v7n0000000000000000")),
        .required("to", Schema.string().example("ada@example.com")),
        .required("from", Schema.string().example("Acme <hello@acme.example>")),
        .optional("reply_to", .string()),
        .optional("subject", Schema.string().described("The subject as given, or as rendered once sent")),
        .optional("template_id", .string()),
        .required("tags", .array(EmailTag.schema)),
        .required("scheduled_at", .timestamp),
        .optional("time_zone", Schema.string().example("America/New_York")),
        .required("status", .oneOf(EmailStatus.allCases.map(\.rawValue))),
        .optional("campaign_id", .string()),
        .optional("series_id", Schema.string().described("The recurring send (GET /series/{id}) it is an occurrence of")),
        .required("attempts", .integer(min: 0)),
        .optional("provider", Schema.string().example("simulated")),
        .optional("provider_message_id", .string()),
        .optional("error", Message.errorSchema),
        .optional("sent_at", .timestamp),
        .optional("delivered_at", .timestamp),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("timeline", Schema.array(.model(MessageEvent.self)).described("Attempts, statuses and provider events, oldest first (one email only)")),
    ], closed: true)
}

extension EmailTag {
    /// Resend's rule for tag names and values: ASCII letters, digits, `_` and `-`, at most 256 characters.
    static let schema = Schema.object([.required("name", part), .required("value", part)], closed: true)
    private static let part = Schema.string(min: 1, max: 256, pattern: Pattern("^[A-Za-z0-9_-]+$", mismatch: "may hold only ASCII letters, digits, _ and -"))
}

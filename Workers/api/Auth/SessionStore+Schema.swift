import OzziRuntime

extension SessionStore.Session: APIModel {
    static let schemaName = "Session"
    static let schema = Schema.object([
        .required("id", Schema.string().example("ses_01jd3k5v7n0000000000000000")),
        .required("created_at", .timestamp),
        .required("last_used_at", Schema.timestamp.described("The last sign-in or refresh")),
        .required("expires_at", .timestamp),
        .optional("user_agent", Schema.string().nullable.example("Mozilla/5.0 (X11; Linux x86_64)")),
        .optional("ip", Schema.string().nullable.example("203.0.113.7")),
    ], closed: true)
}

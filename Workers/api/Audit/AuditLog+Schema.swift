import OzziRuntime

extension AuditLog.Event: APIModel {
    static let schemaName = "AuditEvent"
    static let schema = Schema.object([
        .required("id", Schema.integer(min: 1).example(42)),
        .required("event", Schema.string().example("login").described("signup, login, login_failed, login_locked, api_key_created, ...")),
        .optional("user_id", Schema.string().nullable.example("usr_01jd3k5v7n0000000000000000").described("Who acted, when known")),
        .optional("ip", Schema.string().nullable.example("203.0.113.7")),
        .required("details", Schema.dictionary(.any).example(["method": "password", "client": "known"])),
        .required("created_at", .timestamp),
    ], closed: true)
}

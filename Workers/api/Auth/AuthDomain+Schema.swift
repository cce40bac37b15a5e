import OzziRuntime

extension AuthDomain.SignedIn: APIModel {
    static let schema = Schema.object([
        .required("access_token", Schema.string().example("oat_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT")
            .described("Send as `Authorization: Bearer <token>`; the ozzi_access cookie carries it too")),
        .required("refresh_token", Schema.string().example("ort_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT")
            .described("Spent by POST /api/v1/auth/refresh for new tokens; a second use revokes the session")),
        .required("token_type", .oneOf(["Bearer"])),
        .required("expires_in", Schema.integer(min: 1).example(.number(Double(SessionStore.accessTokenSeconds))).described("Seconds the access token lives")),
        .required("session_id", Schema.string().example("ses_01jd3k5v7n0000000000000000")),
        .required("user", .model(User.self)),
    ], closed: true)
}

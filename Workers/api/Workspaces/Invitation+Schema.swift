import OzziRuntime

extension Invitation: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("inv_01jd3k5v7n0000000000000000")),
        .required("email", Schema.string().example("grace@example.com")),
        .required("role", Schema.oneOf(Invitation.roles.map(\.rawValue))),
        .required("invited_by", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .required("expires_at", .timestamp),
        .optional("accepted_at", Schema.timestamp.nullable),
        .required("created_at", .timestamp),
    ], closed: true)
}

extension RouteGroup.CreatedInvitation: APIModel {
    static let schemaName = "CreatedInvitation"
    static let schema = Schema.object([
        .required("invitation", .model(Invitation.self)),
        .required("token", Schema.string().example("inv_3q2-gN7tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1s")
            .described("Shown once: the invitee accepts with it at POST /api/v1/invitations/accept")),
    ], closed: true)
}

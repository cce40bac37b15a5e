import OzziRuntime

/// What signing in to the portal (or refreshing, or accepting an invitation) answers.
struct PortalSignedIn: Encodable, Sendable {
    let access_token: String
    let refresh_token: String
    let token_type = "Bearer"
    let expires_in: Int64
    let portal_user: PortalUser
}

extension PortalSignedIn: APIModel {
    static let schema = Schema.object([
        .required("access_token", Schema.string().described("An EdDSA JWT: send as `Authorization: Bearer <token>` to /api/v1/client-portal routes only")),
        .required("refresh_token", Schema.string().example("prt_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT")
            .described("Spent by POST /api/v1/client-portal/sessions/refresh for new tokens; a second use signs the device out")),
        .required("token_type", .oneOf(["Bearer"])),
        .required("expires_in", Schema.integer(min: 1).example(600).described("Seconds the access token lives")),
        .required("portal_user", .model(PortalUser.self)),
    ], closed: true)
}

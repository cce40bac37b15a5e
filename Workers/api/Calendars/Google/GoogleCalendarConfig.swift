import OzziRuntime

/// Where Google Calendar is reached, when it is configured: the identity configuration's `google` OAuth
/// client (`OAUTH_GOOGLE_*`, the same Google Cloud client serves sign-in and calendars) asked for the
/// calendar scope and returning the browser to the calendars' callback; the Calendar API
/// (`GOOGLE_CALENDAR_API_BASE`) and the token revocation endpoint (`GOOGLE_OAUTH_REVOKE_URL`), both
/// configurable so tests reach a local stub; and the `PUBLIC_URL` push notifications come back to.
struct GoogleCalendarConfig: Sendable {
    let provider: OAuthProvider
    let apiBase: String
    let revokeURL: String
    let notificationsURL: String
    /// Whether Google may call `notificationsURL`: it only sends push notifications to HTTPS addresses, so a
    /// host on plain HTTP (a laptop) relies on the periodic sync alone, unless told otherwise.
    let watches: Bool

    static let scope = "https://www.googleapis.com/auth/calendar"

    /// Nil when no `google` OAuth client is configured: members then have their built-in calendars only.
    static func load(_ env: WorkerEnv, publicURL: String) throws -> GoogleCalendarConfig? {
        guard let google = try OAuthProviders.load(env)["google"] else { return nil }
        let provider = OAuthProvider(name: google.name, kind: .google, clientID: google.clientID, clientSecret: google.clientSecret,
                                     authorizeURL: google.authorizeURL, tokenURL: google.tokenURL, userinfoURL: google.userinfoURL,
                                     scopes: "openid email " + scope, redirectURI: publicURL + "/api/v1/calendars/google/callback")
        let notifications = publicURL + "/api/v1/calendars/google/notifications"
        let watches = switch env.var("GOOGLE_CALENDAR_PUSH", default: "auto") {
        case "on": true
        case "off": false
        default: notifications.hasPrefix("https://")
        }
        return GoogleCalendarConfig(
            provider: provider,
            apiBase: BaseURL.withoutTrailingSlashes(env.var("GOOGLE_CALENDAR_API_BASE", default: "https://www.googleapis.com/calendar/v3")),
            revokeURL: env.var("GOOGLE_OAUTH_REVOKE_URL", default: "https://oauth2.googleapis.com/revoke"),
            notificationsURL: notifications, watches: watches)
    }
}

import OzziRuntime

/// One configured OAuth 2 / OpenID Connect provider.
struct OAuthProvider: Sendable, Equatable {
    enum Kind: String, Sendable { case google, github, oidc }

    let name: String
    let kind: Kind
    let clientID: String
    let clientSecret: String
    let authorizeURL: String
    let tokenURL: String
    let userinfoURL: String
    let scopes: String
    /// Where the provider sends the browser back: `PUBLIC_URL` + the callback route.
    let redirectURI: String
}

/// Providers come from the api worker's vars, one set per name:
/// `OAUTH_<NAME>_CLIENT_ID`, optional `OAUTH_<NAME>_KIND` (google, github, oidc; inferred from the name),
/// `OAUTH_<NAME>_AUTHORIZE_URL` / `_TOKEN_URL` / `_USERINFO_URL` / `_SCOPES` (Google and GitHub have
/// defaults), and the secret `OAUTH_<NAME>_CLIENT_SECRET`. `PUBLIC_URL` is the API's public origin.
enum OAuthProviders {
    static func load(_ env: WorkerEnv) throws -> [String: OAuthProvider] {
        let publicURL = env.var("PUBLIC_URL", default: "http://127.0.0.1:8787")
        var providers: [String: OAuthProvider] = [:]
        for key in env.vars.keys where key.hasPrefix("OAUTH_") && key.hasSuffix("_CLIENT_ID") {
            let upper = String(key.dropFirst(6).dropLast(10))
            let name = upper.lowercased()
            let value = { (suffix: String) in env.vars["OAUTH_\(upper)_\(suffix)"] }
            let kind = value("KIND").flatMap(OAuthProvider.Kind.init) ?? OAuthProvider.Kind(rawValue: name) ?? .oidc
            let defaults = Self.defaults(kind)
            guard let authorize = value("AUTHORIZE_URL") ?? defaults?.authorize, let token = value("TOKEN_URL") ?? defaults?.token,
                  let userinfo = value("USERINFO_URL") ?? defaults?.userinfo else {
                throw OAuthConfigError(message: "OAuth provider '\(name)' needs OAUTH_\(upper)_AUTHORIZE_URL, _TOKEN_URL and _USERINFO_URL")
            }
            providers[name] = OAuthProvider(
                name: name, kind: kind, clientID: env.vars[key] ?? "", clientSecret: try env.secret("OAUTH_\(upper)_CLIENT_SECRET"),
                authorizeURL: authorize, tokenURL: token, userinfoURL: userinfo,
                scopes: value("SCOPES") ?? defaults?.scopes ?? "openid email profile",
                redirectURI: "\(publicURL)/api/v1/auth/oauth/\(name)/callback")
        }
        return providers
    }

    private static func defaults(_ kind: OAuthProvider.Kind) -> (authorize: String, token: String, userinfo: String, scopes: String)? {
        switch kind {
        case .google:
            ("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
             "https://openidconnect.googleapis.com/v1/userinfo", "openid email profile")
        case .github:
            ("https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token", "https://api.github.com/user", "read:user user:email")
        case .oidc:
            nil
        }
    }

    struct OAuthConfigError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

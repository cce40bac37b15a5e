import OzziRuntime

/// Turns a request's credential into a `Principal`: `Authorization: Bearer` with an access token or an
/// API key, or the `ozzi_access` cookie. The workspace is the key's, or for users `X-Workspace-Id` (one
/// they belong to) or their personal workspace. A change asked for with the cookie must carry the session's
/// CSRF token in `X-CSRF-Token`: a browser sends the cookie with another site's requests too.
struct Authenticator: Sendable {
    let principals: PrincipalStore
    let apiKeys: APIKeyStore
    let csrf: CSRFTokens

    func principal(for request: Request) async throws -> Principal {
        guard let token = Self.credential(request) else { throw APIError.unauthorized }
        // A browser's call with the session cookie works in the workspace its console shows (`ozzi_workspace`),
        // unless it names one; a cookie naming a workspace no longer theirs falls back to the personal one.
        let byCookie = request.headers["authorization"] == nil
        let named = request.headers["x-workspace-id"]
        if token.hasPrefix("ozk_") {
            guard let key = try await apiKeys.authenticate(token) else { throw APIError.unauthorized("the API key is invalid or disabled") }
            if let named, named != key.workspace.id { throw APIError.notFound("workspace") }
            return Principal(user: key.user, workspace: key.workspace, sessionID: nil, apiKeyID: key.keyID)
        }
        let found = if named == nil, byCookie {
            try await principals.session(accessToken: token, preferring: Cookies.value(Cookies.workspace, in: request))
        } else {
            try await principals.session(accessToken: token, workspaceID: named)
        }
        guard let resolved = found else { throw APIError.unauthorized("the access token is invalid or expired; refresh it") }
        if byCookie, !CSRFTokens.isSafe(request.method),
           !csrf.accepts(request.headers[CSRFTokens.header], sessionID: resolved.sessionID ?? "") {
            throw APIError(status: 403, code: "csrf_token_invalid",
                           message: "a change made with the session cookie needs the session's CSRF token in X-CSRF-Token (the console's pages carry it)")
        }
        guard let workspace = resolved.workspace else { throw APIError.notFound("workspace") }
        return Principal(user: resolved.user, workspace: workspace, sessionID: resolved.sessionID, apiKeyID: nil)
    }

    /// The bearer token, else the access cookie.
    static func credential(_ request: Request) -> String? {
        guard let header = request.headers["authorization"] else { return Cookies.value("ozzi_access", in: request) }
        // `Bearer <token>`, scheme case-insensitive; compared on bytes, as this runs on every request.
        let utf8 = header.utf8
        guard utf8.count > 7, Substring(header).prefix(7).equalsIgnoringASCIICase("bearer ") else { return nil }
        let trimmed = header.dropFirst(7).trimmingASCIISpaces()
        return trimmed.isEmpty ? nil : String(trimmed)
    }
}

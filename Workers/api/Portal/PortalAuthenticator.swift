import OzziRuntime

/// Turns a request's `Authorization: Bearer` portal access token into a `PortalPrincipal`. Only portal
/// tokens pass: a workspace access token or API key is not a JWT this portal signed, and the workspace's
/// `Authenticator` in turn finds no session for a portal token, so neither side accepts the other's.
struct PortalAuthenticator: Sendable {
    let tokens: PortalTokens
    let sessions: PortalSessionStore

    func principal(for request: Request) async throws -> PortalPrincipal {
        guard request.headers["authorization"] != nil, let token = Authenticator.credential(request) else {
            throw APIError.unauthorized("a client-portal access token is needed (Authorization: Bearer)")
        }
        let claims: PortalClaims
        switch try await tokens.verify(token) {
        case .failure(let refusal): throw APIError.unauthorized(refusal.description)
        case .success(let verified): claims = verified
        }
        // The session is asked too: signing out, revoking the user or erasing them ends access at once,
        // not when the token expires.
        guard let principal = try await sessions.principal(session: claims.sid, user: claims.sub, workspace: claims.ws) else {
            throw APIError.unauthorized("the portal session was signed out or the portal user no longer has access")
        }
        return principal
    }
}

import OzziRuntime

/// The console's side of the API's browser sessions: the access cookie, renewed from the refresh cookie
/// when it has expired (the new cookies go out with the page, so a tab left open overnight still works),
/// in the workspace the `ozzi_workspace` cookie names, or the personal one when it names none of theirs.
struct ConsoleSessions: Sendable {
    let principals: PrincipalStore
    let sessions: SessionStore
    let csrf: CSRFTokens

    static let workspaceCookie = Cookies.workspace

    func viewer(_ request: Request) async throws -> ConsoleViewer? {
        let workspace = Cookies.value(Self.workspaceCookie, in: request)
        if let access = Cookies.value("ozzi_access", in: request), let viewer = try await viewer(access: access, workspace: workspace, cookies: []) {
            return viewer
        }
        guard let refresh = Cookies.value("ozzi_refresh", in: request), case .rotated(let tokens, _) = try await sessions.refresh(refresh) else {
            return nil
        }
        var renewed = Response(status: 200)
        Cookies.set(tokens, on: &renewed)
        return try await viewer(access: tokens.access_token, workspace: workspace, cookies: renewed.headers.values("set-cookie"))
    }

    private func viewer(access: String, workspace: String?, cookies: [String]) async throws -> ConsoleViewer? {
        guard let resolved = try await principals.session(accessToken: access, preferring: workspace),
              let workspace = resolved.workspace, let sessionID = resolved.sessionID else { return nil }
        return ConsoleViewer(principal: Principal(user: resolved.user, workspace: workspace, sessionID: sessionID, apiKeyID: nil),
                             csrf: csrf.token(sessionID: sessionID), cookies: cookies)
    }
}

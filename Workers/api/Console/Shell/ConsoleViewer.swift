import OzziRuntime

/// Who is looking at a console page: a signed-in user in one of their workspaces, with the session's CSRF
/// token for the page's forms and scripts.
struct ConsoleViewer: Sendable {
    let principal: Principal
    let csrf: String
    /// `Set-Cookie` lines when the session was renewed on the way in; they go out with the answer.
    let cookies: [String]
}

import OzziRuntime

/// What every console page shares: the frame around it (`Layout`), the answer's headers, and the page
/// an error becomes.
struct ConsoleShell: Sendable {
    let sessions: ConsoleSessions
    let workspaces: WorkspaceStore

    /// A signed-in page's frame around `main`, with the viewer's workspaces in the switcher.
    func page(_ viewer: ConsoleViewer, title: String, section: ConsoleSection?, _ main: HTML, status: Int = 200) async throws -> Response {
        let workspaces = try await workspaces.workspaces(for: viewer.principal.userID, page: PageRequest(limit: 100, after: nil))
        return .html(Layout.signedIn(viewer, workspaces: workspaces, title: title, section: section, main).text, status: status)
    }

    /// Runs a signed-in page's handler: an `APIError` becomes a page naming it; renewed cookies go out.
    func answer(_ viewer: ConsoleViewer, _ request: Request, _ handler: () async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await handler()
        } catch let error as APIError {
            response = problem(viewer, request, error)
        }
        // Unless the handler set the session's cookies itself (sign-out clears them): the browser applies them in order.
        if !response.headers.values("set-cookie").contains(where: { $0.hasPrefix("ozzi_access=") }) {
            for cookie in viewer.cookies { response.headers.add("set-cookie", cookie) }
        }
        return Self.secured(response)
    }

    /// An error as a small page (or, for a script's call, the API's JSON error).
    func problem(_ viewer: ConsoleViewer?, _ request: Request, _ error: APIError) -> Response {
        if request.headers["accept"]?.contains("text/html") != true && request.headers[CSRFTokens.header] != nil {
            return Self.secured(.json(JSONValue.object(["error": .object(["code": .string(error.code), "message": .string(error.message)])]), status: error.status))
        }
        let main: HTML = """
            <h1>\(error.status == 404 ? "Not found" : error.status == 403 ? "Refused" : "That did not work")</h1>
            <p role="alert">\(error.message)</p>
            <p><a href="\(viewer == nil ? "/console/signin" : "/console")">\(viewer == nil ? "Sign in" : "Back to the console")</a></p>
            """
        return Self.secured(.html(Layout.signedOut(title: "Error", main).text, status: error.status))
    }

    /// A `303 See Other` to `location`: where a posted form's answer sends the browser.
    static func redirect(_ location: String) -> Response {
        secured(Response(status: 303, headers: ["location": location]))
    }

    /// The same, with the cookies of a session renewed on the way in: dropped, the next request would present
    /// a spent refresh token, which ends the session.
    static func redirect(_ location: String, keeping viewer: ConsoleViewer) -> Response {
        var response = redirect(location)
        for cookie in viewer.cookies { response.headers.add("set-cookie", cookie) }
        return response
    }

    /// The console's content security policy; `framing`: the one source a page may frame (the form builder's preview).
    static func policy(framing: String?) -> String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; "
            + (framing.map { "frame-src \($0); " } ?? "") + "frame-ancestors 'none'; base-uri 'none'"
    }

    /// Every console answer: nothing runs or loads but the console's own files, no framing, no caching of
    /// a page that shows a workspace's data.
    static func secured(_ response: Response) -> Response {
        var response = response
        if response.headers["content-security-policy"] == nil { response.headers.add("content-security-policy", policy(framing: nil)) }
        if response.headers["cache-control"] == nil { response.headers.add("cache-control", "no-store") }
        if response.headers["x-content-type-options"] == nil { response.headers.add("x-content-type-options", "nosniff") }
        if response.headers["referrer-policy"] == nil { response.headers.add("referrer-policy", "same-origin") }
        return response
    }
}

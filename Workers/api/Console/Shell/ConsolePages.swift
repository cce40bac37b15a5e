import OzziRuntime

/// Registers the console's pages on the api worker's router, and does for each what every page needs:
/// finds the viewer (a signed-out visitor is sent to sign in, and brought back after), checks a posted
/// form's CSRF token before the handler runs, turns an `APIError` into a page that names what was wrong,
/// and sends the renewed session's cookies and the security headers with every answer.
struct ConsolePages {
    let routes: APIRoutes
    let shell: ConsoleShell

    typealias Handler = @Sendable (Request, RequestContext, ConsoleViewer) async throws -> Response
    typealias FormHandler = @Sendable (Request, RequestContext, ConsoleViewer, ConsoleForm) async throws -> Response
    typealias OpenHandler = @Sendable (Request, RequestContext) async throws -> Response

    /// A page only a signed-in user sees.
    func get(_ path: String, _ handler: @escaping Handler) {
        let shell = self.shell
        routes.page("GET", path) { request, context in
            guard let viewer = try await shell.sessions.viewer(request) else {
                return ConsoleShell.redirect("/console/signin?next=" + FormEncoding.escape(request.path + (request.query.map { "?" + $0 } ?? "")))
            }
            return try await shell.answer(viewer, request) { try await handler(request, context, viewer) }
        }
    }

    /// A form a signed-in page posts: refused with 403 without the session's CSRF token.
    func post(_ path: String, _ handler: @escaping FormHandler) {
        let shell = self.shell
        routes.page("POST", path) { request, context in
            guard let viewer = try await shell.sessions.viewer(request) else {
                return shell.problem(nil, request, APIError.unauthorized("your session has ended: sign in again"))
            }
            return try await shell.answer(viewer, request) {
                try await handler(request, context, viewer, try ConsoleForm(request, viewer: viewer, csrf: shell.sessions.csrf))
            }
        }
    }

    /// A page anyone may open (the first-run page, sign-in, sign-up).
    func open(_ method: String, _ path: String, _ handler: @escaping OpenHandler) {
        let shell = self.shell
        routes.page(method, path) { request, context in
            do {
                return ConsoleShell.secured(try await handler(request, context))
            } catch let error as APIError {
                return shell.problem(nil, request, error)
            }
        }
    }
}

import OzziRuntime

/// The sign-in and sign-up forms, with what was wrong the last time. Each carries the anonymous CSRF token
/// (`ConsoleForm`), reusing the browser's when it has one, so two open tabs both still work.
enum AccessForms {
    static func signIn(_ request: Request, email: String?, next: String, error: APIError?) -> Response {
        let (token, cookie) = anonymousToken(request)
        let main: HTML = """
            <div class="panel narrow"><h1>Sign in</h1>
            \(problem(error))
            <form method="post" action="/console/signin">
            <input type="hidden" name="\(CSRFTokens.field)" value="\(token)"><input type="hidden" name="next" value="\(next)">
            <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="\(email ?? "")">
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <div class="actions"><button type="submit">Sign in</button><a href="/console/signup">Create an account</a></div>
            </form></div>
            """
        return answer(Layout.signedOut(title: "Sign in", main), status: error?.status ?? 200, cookie: cookie)
    }

    static func signUp(_ request: Request, email: String?, name: String?, error: APIError?) -> Response {
        let (token, cookie) = anonymousToken(request)
        let main: HTML = """
            <div class="panel narrow"><h1>Create an account</h1>
            \(problem(error))
            <form method="post" action="/console/signup">
            <input type="hidden" name="\(CSRFTokens.field)" value="\(token)">
            <label for="name">Your name</label><input id="name" name="name" type="text" autocomplete="name" value="\(name ?? "")">
            <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required value="\(email ?? "")">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minlength="10" aria-describedby="password-hint">
            <p class="hint" id="password-hint">At least 10 characters; a phrase of a few words is best.</p>
            <div class="actions"><button type="submit">Create the account</button><a href="/console/signin">I have an account</a></div>
            </form></div>
            """
        return answer(Layout.signedOut(title: "Create an account", main), status: error?.status ?? 200, cookie: cookie)
    }

    private static func problem(_ error: APIError?) -> HTML {
        guard let error else { return .empty }
        return "<p class=\"error\" role=\"alert\">\(error.message)</p>"
    }

    private static func anonymousToken(_ request: Request) -> (String, String?) {
        if let existing = Cookies.value(ConsoleForm.anonymousCookie, in: request), existing.count >= 32 { return (existing, nil) }
        let fresh = ConsoleForm.anonymousToken()
        return (fresh.token, fresh.cookie)
    }

    private static func answer(_ page: HTML, status: Int, cookie: String?) -> Response {
        let response = Response.html(page.text, status: status)
        return cookie.map { response.adding(header: "set-cookie", $0) } ?? response
    }
}

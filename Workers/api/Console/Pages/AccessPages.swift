import OzziRuntime

/// The pages around the sections: the first-run page at `/`, sign-in, sign-up, sign-out, the workspace
/// switcher, and the console's two files.
extension ConsolePages {
    func addAccessPages(_ console: ConsoleDomain) {
        let shell = console.shell
        open("GET", "/console/assets/console.css") { _, _ in ConsoleAssets.response(ConsoleAssets.stylesheet, contentType: "text/css; charset=utf-8") }
        open("GET", "/console/assets/console.js") { _, _ in ConsoleAssets.response(ConsoleAssets.script, contentType: "text/javascript; charset=utf-8") }

        open("GET", "/") { request, _ in
            if let viewer = try await shell.sessions.viewer(request) { return ConsoleShell.redirect("/console", keeping: viewer) }
            return .html(Layout.signedOut(title: "Welcome", FirstRunPage.html(console.firstRun, onThisMachine: FirstRunPage.isOnThisMachine(request))).text)
        }

        get("/console") { _, _, _ in ConsoleShell.redirect(ConsoleSection.contacts.path) }

        open("GET", "/console/signin") { request, _ in
            if let viewer = try await shell.sessions.viewer(request) {
                return ConsoleShell.redirect(ConsoleDomain.safeNext(request.queryParameter("next")), keeping: viewer)
            }
            return AccessForms.signIn(request, email: nil, next: ConsoleDomain.safeNext(request.queryParameter("next")), error: nil)
        }

        open("POST", "/console/signin") { request, _ in
            let form = try ConsoleForm(anonymous: request)
            let next = ConsoleDomain.safeNext(form["next"])
            do {
                let email = try EmailAddress.normalize(form["email"] ?? "")
                let signedIn = try await console.auth.logIn(request, email: email, password: form.fields["password"] ?? "")
                var response = ConsoleShell.redirect(next)
                for cookie in signedIn.headers.values("set-cookie") { response.headers.add("set-cookie", cookie) }
                return response
            } catch let error as APIError {
                return AccessForms.signIn(request, email: form["email"], next: next, error: error)
            }
        }

        open("GET", "/console/signup") { request, _ in
            AccessForms.signUp(request, email: nil, name: nil, error: nil)
        }

        open("POST", "/console/signup") { request, _ in
            let form = try ConsoleForm(anonymous: request)
            do {
                try await console.auth.limiter.check(.signUp, request.clientNetwork)
                let email = try EmailAddress.normalize(form["email"] ?? "")
                try await console.auth.signUp(request, email: email, password: form.fields["password"] ?? "", name: form["name"])
                let main: HTML = """
                    <div class="panel narrow"><h1>Check your email</h1>
                    <p role="status">We mailed a link to <strong>\(email)</strong>. Open it to confirm the address, then sign in.</p>
                    <p><a href="/console/signin">Sign in</a></p></div>
                    """
                return .html(Layout.signedOut(title: "Check your email", main).text, status: 202)
            } catch let error as APIError {
                return AccessForms.signUp(request, email: form["email"], name: form["name"], error: error)
            }
        }

        // The session's CSRF token, for this origin's pages that are not the console's (an invitation's page
        // accepts it with the session cookie). Another site may request it but cannot read the answer.
        open("GET", "/console/csrf") { request, _ in
            guard let viewer = try await shell.sessions.viewer(request) else { throw APIError.unauthorized }
            var response = Response.json(JSONValue.object(["token": .string(viewer.csrf)]))
            for cookie in viewer.cookies { response.headers.add("set-cookie", cookie) }
            return response
        }

        post("/console/signout") { _, _, viewer, _ in
            if let session = viewer.principal.sessionID {
                _ = try await console.auth.sessions.revoke(sessionID: session, userID: viewer.principal.userID, reason: "logout")
            }
            var response = ConsoleShell.redirect("/console/signin")
            Cookies.clear(on: &response)
            return response
        }

        post("/console/workspace") { _, _, viewer, form in
            guard let id = form["workspace_id"], try await shell.workspaces.workspace(id, for: viewer.principal.userID) != nil else {
                throw APIError.notFound("workspace")
            }
            return ConsoleShell.redirect("/console")
                .adding(header: "set-cookie", "\(ConsoleSessions.workspaceCookie)=\(id); Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax")
        }
    }
}

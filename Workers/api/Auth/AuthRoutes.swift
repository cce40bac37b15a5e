import OzziRuntime

/// `/api/v1/auth/...`: sign-up, sign-in, refresh-token rotation, anonymous trials and their upgrade,
/// sessions, and linked sign-in methods.
extension RouteGroup {
    func addAuthRoutes(_ s: AuthDomain) {
        open("POST", "/signup", "Create an account with email and password: mails a link that verifies the address "
             + "(answers the same whether or not the address has an account; its owner is told instead)", tag: "auth",
             body: .json(.object([.required("email", EmailAddress.schema), .required("password", PasswordPolicy.schema),
                                  .optional("name", Schema.string(max: 200).nullable.example("Ada Lovelace"))])),
             answers: .json(AuthDomain.mailed), success: 202) { request, _ in
            try await s.limiter.check(.signUp, request.clientNetwork)
            let body = try JSONBody(request)
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320))
            let password = try body.requiredString("password", max: 1024)
            try await s.signUp(request, email: email, password: password, name: try body.string("name", max: 200))
            return AuthDomain.mailed(.verificationSent)
        }

        open("POST", "/login", "Sign in with email and password", tag: "auth",
             body: .json(.object([.required("email", EmailAddress.schema), .required("password", Schema.text(max: 1024))])),
             answers: .json(.model(AuthDomain.SignedIn.self))) { request, _ in
            let body = try JSONBody(request)
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320))
            let password = try body.requiredString("password", max: 1024)
            return try await s.logIn(request, email: email, password: password)
        }

        open("POST", "/refresh", "Exchange a refresh token for new tokens (the old one is spent)", tag: "auth",
             body: .json(.object([.optional("refresh_token", Schema.string(max: 200).nullable.example("ort_Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT")
                                        .described("Or the ozzi_refresh cookie"))]), optional: true),
             answers: .json(.model(AuthDomain.SignedIn.self))) { request, context in
            try await s.limiter.check(.refresh, request.clientNetwork)
            let body = try JSONBody(optional: request)
            // No refresh token at all is a missing credential, as on any route: the body may be absent for the cookie's sake.
            guard let token = try body.string("refresh_token", max: 200) ?? Cookies.value("ozzi_refresh", in: request) else {
                throw APIError.unauthorized("a refresh token is required (refresh_token in the body, or the ozzi_refresh cookie)")
            }
            switch try await s.sessions.refresh(token) {
            case .rotated(let tokens, let userID):
                guard let user = try await s.users.find(id: userID) else { throw APIError.unauthorized }
                return s.signedIn(user, tokens)
            case .reuseDetected(let sessionID, let userID):
                context.logger.warning("refresh token reused; session revoked", metadata: ["session_id": "\(sessionID)", "user_id": "\(userID)"])
                let user = try await s.users.find(id: userID)
                await s.audit.record("refresh_token_reuse", workspace: user?.personal_workspace_id, user: userID, ip: request.clientIP,
                                     details: ["session_id": .string(sessionID)])
                throw APIError.unauthorized("this refresh token was already used; the session is revoked, sign in again")
            case .rejected(let reason):
                throw APIError.unauthorized(reason)
            }
        }

        open("POST", "/anonymous", "Start an anonymous trial with its own workspace", tag: "auth",
             answers: .json(.model(AuthDomain.SignedIn.self)), success: 201) { request, _ in
            try await s.limiter.check(.anonymous, request.clientNetwork)
            let user = try await s.users.create(email: nil, name: nil, anonymous: true)
            let tokens = try await s.sessions.start(userID: user.id, userAgent: request.headers["user-agent"], ip: request.clientIP)
            await s.audit.record("signup_anonymous", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP)
            return s.signedIn(user, tokens, status: 201)
        }

        authed("POST", "/upgrade", "Turn an anonymous trial into an account, keeping its data", tag: "auth",
               body: .json(.object([.required("email", EmailAddress.schema), .required("password", PasswordPolicy.schema)])),
               answers: .json(.model(User.self))) { request, _, principal in
            _ = try principal.requireSession(for: "upgrading")
            let user = principal.user
            guard user.is_anonymous else { throw APIError.conflict("this account is not anonymous; add a password with /auth/identities/password") }
            let body = try JSONBody(request)
            let email = try EmailAddress.normalize(try body.requiredString("email", max: 320))
            let password = try body.requiredString("password", max: 1024)
            try PasswordPolicy.check(password, email: email)
            try await s.users.upgrade(userID: user.id, email: email, passwordHash: try await s.hasher.hash(password))
            s.apiKeys.forgetAll()
            await s.audit.record("upgrade", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP)
            return .json(try await s.users.find(id: user.id))
        }

        authed("POST", "/logout", "Sign out this session", tag: "auth", answers: .empty, success: 204) { request, _, principal in
            let sessionID = try principal.requireSession(for: "signing out")
            _ = try await s.sessions.revoke(sessionID: sessionID, userID: principal.userID, reason: "logout")
            await s.audit.record("logout", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP)
            var response = Response(status: 204)
            Cookies.clear(on: &response)
            return response
        }

        list("/sessions", "List your signed-in sessions", tag: "auth", of: .model(SessionStore.Session.self), key: \.id) { _, _, principal, page in
            _ = try principal.requireSession(for: "listing sessions")
            return try await s.sessions.list(userID: principal.userID, page: page)
        }

        authed("DELETE", "/sessions", "Sign out everywhere", tag: "auth",
               answers: .json(.object([.required("revoked", Schema.integer(min: 0).example(3).described("How many sessions ended"))], closed: true))) { request, _, principal in
            _ = try principal.requireSession(for: "signing out")
            let count = try await s.sessions.revokeAll(userID: principal.userID, reason: "logout_everywhere")
            await s.audit.record("logout_everywhere", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["sessions": .number(Double(count))])
            var response = Response.json(["revoked": count])
            Cookies.clear(on: &response)
            return response
        }

        authed("DELETE", "/sessions/:id", "Revoke one of your sessions", tag: "auth", answers: .empty, success: 204) { request, context, principal in
            _ = try principal.requireSession(for: "revoking sessions")
            guard try await s.sessions.revoke(sessionID: context.parameter("id"), userID: principal.userID, reason: "revoked") else {
                throw APIError.notFound("session")
            }
            await s.audit.record("session_revoked", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["session_id": .string(context.parameter("id"))])
            return Response(status: 204)
        }

        authed("GET", "/identities", "List your sign-in methods", tag: "auth", answers: .json(.model(SignInMethods.self))) { _, _, principal in
            _ = try principal.requireSession(for: "listing sign-in methods")
            let password = try await s.users.passwordHash(userID: principal.userID) != nil
            return .json(SignInMethods(password: password, identities: try await s.users.identities(userID: principal.userID)))
        }

        // A password and a provider take different things, so each has its route (a literal segment wins over `:provider`).
        authed("POST", "/identities/password", "Add a password to your account", tag: "auth",
               body: .json(.object([.required("password", PasswordPolicy.schema),
                                    .optional("email", EmailAddress.schema.described("Needed when the account has no email yet (an anonymous trial); else unused"))])),
               answers: .json(SignInMethods.linked)) { request, _, principal in
            _ = try principal.requireSession(for: "linking sign-in methods")
            let user = principal.user
            let body = try JSONBody(request)
            let email = try user.email ?? EmailAddress.normalize(try body.requiredString("email", max: 320))
            let password = try body.requiredString("password", max: 1024)
            try PasswordPolicy.check(password, email: email)
            try await s.users.addPassword(userID: user.id, email: email, passwordHash: try await s.hasher.hash(password))
            s.apiKeys.forgetAll()
            await s.audit.record("identity_linked", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP,
                                 details: ["provider": .string("password")])
            return .json(["linked": "password"])
        }

        authed("POST", "/identities/:provider", "Link an OAuth provider: answers where to send the browser", tag: "auth",
               answers: .json(SignInMethods.authorizeURL)) { _, context, principal in
            _ = try principal.requireSession(for: "linking sign-in methods")
            let url = try await s.oauth.start(try s.oauth.provider(context.parameter("provider")), linking: principal.userID)
            return .json(["authorize_url": url])
        }

        let unlink: APIRoutes.AuthedHandler = { request, context, principal in
            _ = try principal.requireSession(for: "unlinking sign-in methods")
            let method = context.parameters["provider"] ?? "password"
            try await s.users.unlink(userID: principal.userID, provider: method)
            s.apiKeys.forgetAll()
            await s.audit.record("identity_unlinked", workspace: principal.workspace.id, user: principal.userID, ip: request.clientIP,
                                 details: ["provider": .string(method)])
            return Response(status: 204)
        }
        authed("DELETE", "/identities/password", "Remove your password (never the last sign-in method)", tag: "auth",
               answers: .empty, success: 204, unlink)
        authed("DELETE", "/identities/:provider", "Unlink an OAuth provider (never the last sign-in method)", tag: "auth",
               answers: .empty, success: 204, unlink)

        addAccountEmailRoutes(s)
        addOAuthRoutes(s)
    }

    struct SignInMethods: Encodable {
        let password: Bool
        let identities: [Identity]
    }
}

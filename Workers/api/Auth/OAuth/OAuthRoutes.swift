import OzziRuntime

/// `GET /api/v1/auth/oauth/{provider}/start` and `/callback`.
extension RouteGroup {
    func addOAuthRoutes(_ s: AuthDomain) {
        open("GET", "/oauth/:provider/start",
             "Start signing in with a provider: redirects to it (?format=json answers the URL instead)", tag: "auth",
             query: [.query("format", .oneOf(["json"]), "`json` answers the provider's URL instead of redirecting to it")],
             answers: .redirect(orJSON: SignInMethods.authorizeURL), success: 302) { request, context in
            try await s.limiter.check(.oauth, request.clientNetwork)
            let provider = try s.oauth.provider(context.parameter("provider"))
            let url = try await s.oauth.start(provider, linking: nil)
            if request.queryParameter("format") == "json" { return .json(["authorize_url": url]) }
            return Response(status: 302, headers: ["location": url])
        }

        open("GET", "/oauth/:provider/callback", "Where the provider returns: signs in, signs up, or links", tag: "auth",
             query: Self.callbackParameters,
             answers: .json(.oneOf([.model(AuthDomain.SignedIn.self), SignInMethods.linked]))) { request, context in
            try await s.limiter.check(.oauth, request.clientNetwork)
            let provider = try s.oauth.provider(context.parameter("provider"))
            if let error = request.queryParameter("error") {
                throw APIError.badRequest("\(provider.name) refused: \(request.queryParameter("error_description") ?? error)", code: "provider_denied")
            }
            guard let code = request.queryParameter("code"), !code.isEmpty else { throw APIError.invalidField("code", "is required") }
            guard let stateText = request.queryParameter("state") else { throw APIError.invalidField("state", "is required") }
            let state = try await s.oauth.consume(state: stateText, provider: provider)
            // A calendar connection's state (it names a workspace) signs nobody in.
            guard state.workspace_id == nil else { throw APIError.badRequest("the state was made to connect a calendar, not to sign in", code: "invalid_state") }
            let identity = try await s.oauth.identity(provider, code: code, verifier: state.verifier)
            if let userID = state.link_user_id {
                try await s.users.link(userID: userID, provider: provider.name, subject: identity.subject, email: identity.email)
                s.apiKeys.forgetAll()
                let user = try await s.users.find(id: userID)
                await s.audit.record("identity_linked", workspace: user?.personal_workspace_id, user: userID, ip: request.clientIP,
                                     details: ["provider": .string(provider.name)])
                return .json(["linked": provider.name])
            }
            let user: User
            if let owner = try await s.users.owner(provider: provider.name, subject: identity.subject), let existing = try await s.users.find(id: owner) {
                user = existing
            } else if let email = identity.email, let existing = try await s.users.find(email: email) {
                // A sign-up nobody has verified yet: the provider vouches that this person owns the address,
                // so the account is theirs, and the password that sign-up chose is void.
                guard existing.email_verified_at == nil, try await s.users.passwordHash(userID: existing.id) == nil else {
                    throw APIError.conflict("an account with \(email) exists; sign in to it and link \(provider.name) from there")
                }
                try await s.users.link(userID: existing.id, provider: provider.name, subject: identity.subject, email: email)
                try await s.tokens.proved(userID: existing.id, email: email)
                user = try await s.users.find(id: existing.id) ?? existing
                await s.audit.record("identity_linked", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP,
                                     details: ["provider": .string(provider.name)])
            } else {
                // The provider only names an email it has verified (OAuthFlow.identity).
                user = try await s.users.create(email: identity.email, name: identity.name, anonymous: false, verified: true,
                                                identity: (provider.name, identity.subject, identity.email))
                await s.audit.record("signup", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP,
                                     details: ["method": .string(provider.name)])
            }
            let tokens = try await s.sessions.start(userID: user.id, userAgent: request.headers["user-agent"], ip: request.clientIP)
            await s.audit.record("login", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP,
                                 details: ["method": .string(provider.name)])
            var response = s.signedIn(user, tokens)
            try await s.knownClients.remember(request, userID: user.id, on: &response)
            return response
        }
    }

    /// What a provider sends back (RFC 6749 4.1.2): `code` and `state`, or `error` when the user declined.
    private static let callbackParameters: [Parameter] = [
        .query("code", Schema.string(min: 1).example("4/0AX4XfWh"), "The authorization code; required unless `error` is given"),
        .query("state", Schema.string().example("Yk3vQ9tR0aVb8kXyZ1c4dE5fG6hI7jK8lM9nO0pQ1sT"),
               "The state the start route sent; required unless `error` is given"),
        .query("error", Schema.string().example("access_denied"), "Set by the provider when sign-in was refused"),
        .query("error_description", Schema.string(), "The provider's words about `error`"),
    ]
}

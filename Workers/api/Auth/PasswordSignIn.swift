import OzziRuntime

extension AuthDomain {
    /// A sign-in with email and password, for `POST /api/v1/auth/login` and the console's form alike: the
    /// per-network budget, the lockout, the audit trail, a new session and its cookies (the answer's
    /// `Set-Cookie`s), the known-client cookie. Throws the `APIError` a caller shows (wrong password,
    /// locked, not verified).
    func logIn(_ request: Request, email: String, password: String) async throws -> Response {
        let cookie = knownClients.id(in: request)
        // Only a client with one of our cookies can be known; any other pays the per-network budget
        // before a query is made for it.
        if cookie == nil { try await limiter.check(.signIn, request.clientNetwork) }
        let user = try await users.find(email: email)
        let client = try await knownClients.client(cookie, userID: user?.id, network: request.clientNetwork)
        // A known client skips that budget: others on its network cannot spend it for it.
        if cookie != nil, case .unknown = client { try await limiter.check(.signIn, request.clientNetwork) }
        // A locked client gets no answer about the password, so the lock stops guessing.
        if let wait = signInGuard.begin(account: email, client: client) { throw APIError.rateLimited(retryAfterSeconds: wait) }
        var judged = false
        defer { if !judged { signInGuard.abandoned(account: email, client: client) } }
        var hash: String?
        // An account whose sign-up is not verified yet has only the password that sign-up chose.
        var unverified = false
        if let user {
            hash = try await users.passwordHash(userID: user.id)
            if hash == nil, user.email_verified_at == nil, let pending = try await tokens.pendingPassword(userID: user.id) {
                hash = pending
                unverified = true
            }
        }
        let clientKind: JSONValue = if case .known = client { "known" } else { "new" }
        let verified = try await hasher.verify(password, against: hash)
        judged = true
        guard verified, let user else {
            let locks = signInGuard.failed(account: email, client: client)
            await audit.record("login_failed", workspace: user?.personal_workspace_id, user: user?.id, ip: request.clientIP,
                             details: ["email": .string(email), "client": clientKind])
            for lock in locks {
                await audit.record("login_locked", workspace: user?.personal_workspace_id, user: user?.id, ip: request.clientIP,
                                 details: ["email": .string(email), "client": clientKind, "scope": .string(lock.scope),
                                           "seconds": .number(Double(lock.seconds))])
            }
            throw APIError.unauthorized("the email or password is wrong")
        }
        signInGuard.succeeded(account: email, client: client)
        if unverified {
            throw APIError(status: 403, code: "email_not_verified",
                           message: "confirm your email address first: open the link we mailed to \(email), "
                               + "or ask for another with POST /api/v1/auth/verify-email/resend")
        }
        let tokens = try await sessions.start(userID: user.id, userAgent: request.headers["user-agent"], ip: request.clientIP)
        await audit.record("login", workspace: user.personal_workspace_id, user: user.id, ip: request.clientIP,
                             details: ["method": .string("password"), "client": clientKind])
        var response = signedIn(user, tokens)
        try await knownClients.remember(request, userID: user.id, on: &response)
        return response
    }

    /// A sign-up, for `POST /api/v1/auth/signup` and the console's form alike, once the caller has spent the
    /// per-network budget (before reading the body): checks the password against the policy, spends the
    /// address's budget, and mails the link that verifies the address (or tells its owner, when it already
    /// has an account).
    func signUp(_ request: Request, email: String, password: String, name: String?) async throws {
        try PasswordPolicy.check(password, email: email)
        try await limiter.check(.accountEmail, email)
        // Hashed whether or not the address has an account, so the time taken does not tell.
        try await signUp(email: email, name: name, passwordHash: try await hasher.hash(password), ip: request.clientIP)
    }
}

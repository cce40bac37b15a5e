import OzziRuntime

/// `/api/v1/auth`: sign-up (verified by a mailed link) and sign-in (password, OAuth, anonymous trials),
/// password resets, refresh-token rotation, sessions and linked sign-in methods, guarded by per-network
/// rate limits and per-account lockout. It runs the account emails' queue jobs.
struct AuthDomain: APIDomain {
    let users: UserStore
    let sessions: SessionStore
    let apiKeys: APIKeyStore
    let audit: AuditLog
    let hasher: PasswordHasher
    let limiter: RateLimiter
    let signInGuard: SignInGuard
    let knownClients: KnownClients
    let oauth: OAuthFlow
    let tokens: AccountTokens
    let mail: SystemEmailSender

    init(_ api: APIEnvironment) throws {
        users = api.accounts.users
        sessions = api.accounts.sessions
        apiKeys = api.accounts.apiKeys
        audit = api.accounts.audit
        hasher = PasswordHasher(n: UInt64(api.env.var("SCRYPT_N", default: "32768")) ?? 32768)
        limiter = api.limiter
        signInGuard = SignInGuard(clock: api.clock)
        knownClients = KnownClients(database: api.database, key: CredentialKey.derive(api.sealingKey, for: "known-client-cookie"), clock: api.clock)
        oauth = OAuthFlow(providers: try OAuthProviders.load(api.env), kv: try api.env.kv("KV"), outbound: api.env.outbound)
        tokens = AccountTokens(database: api.database, clock: api.clock)
        mail = api.systemEmail
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(AccountEmail.self, settling: { [mail] email, message, context in
            switch await mail.deliver(email, attempt: message.attempts) {
            case .sent:
                message.ack()
            case .retry(let seconds):
                context.request.logger.warning("account email not sent yet; retrying", metadata: [
                    "email_id": "\(email.id)", "template": "\(email.template.rawValue)", "attempt": "\(message.attempts)", "retry_in_s": "\(seconds)",
                ])
                message.retry(delaySeconds: seconds)
            case .deadLetter(let reason):
                context.request.logger.error("account email dead-lettered: \(reason)", metadata: [
                    "email_id": "\(email.id)", "template": "\(email.template.rawValue)", "attempt": "\(message.attempts)",
                ])
                message.deadLetter()
            }
        })
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/auth").addAuthRoutes(self)
    }

    func maintain() async throws {
        _ = try await sessions.sweep()
        _ = try await tokens.sweep()
    }

    /// The answer to a sign-in: tokens in OAuth 2's names plus the user, and browser cookies.
    func signedIn(_ user: User, _ tokens: SessionStore.Tokens, status: Int = 200) -> Response {
        var response = Response.json(SignedIn(access_token: tokens.access_token, refresh_token: tokens.refresh_token,
                                              token_type: tokens.token_type, expires_in: tokens.expires_in,
                                              session_id: tokens.session_id, user: user), status: status)
        Cookies.set(tokens, on: &response)
        return response
    }

    struct SignedIn: Encodable {
        let access_token: String
        let refresh_token: String
        let token_type: String
        let expires_in: Int64
        let session_id: String
        let user: User
    }
}

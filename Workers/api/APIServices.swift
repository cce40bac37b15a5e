import Logging
import OzziRuntime

/// The api worker's stores and services, built once from its bindings and shared by its routes.
struct APIServices: Sendable {
    let users: UserStore
    let workspaces: WorkspaceStore
    let sessions: SessionStore
    let apiKeys: APIKeyStore
    let invitations: InvitationStore
    let audit: AuditLog
    let idempotency: IdempotencyStore
    let hasher: PasswordHasher
    let limiter: RateLimiter
    let oauth: OAuthFlow
    let contacts: ContactStore
    let groups: GroupStore
    let templates: TemplateStore
    let importer: ContactImporter
    /// The country of phone numbers given without a country code (`DEFAULT_COUNTRY`, ISO 3166 alpha-2).
    let defaultCountry: String
    let clock: any WallClock
    let logger: Logger

    init(env: WorkerEnv, clock: any WallClock = SystemClock()) throws {
        let database = try env.database("DB")
        self.clock = clock
        logger = env.logger
        users = UserStore(database: database, clock: clock)
        workspaces = WorkspaceStore(database: database, clock: clock)
        sessions = SessionStore(database: database, clock: clock)
        apiKeys = APIKeyStore(database: database, clock: clock)
        invitations = InvitationStore(database: database, clock: clock)
        audit = AuditLog(database: database, clock: clock, logger: env.logger)
        idempotency = IdempotencyStore(database: database, clock: clock)
        hasher = PasswordHasher(n: UInt64(env.var("SCRYPT_N", default: "32768")) ?? 32768)
        limiter = RateLimiter(clock: clock)
        oauth = OAuthFlow(providers: try OAuthProviders.load(env), kv: try env.kv("KV"), outbound: env.outbound)
        contacts = ContactStore(database: database, clock: clock)
        groups = GroupStore(database: database, clock: clock)
        templates = TemplateStore(database: database, clock: clock)
        defaultCountry = env.var("DEFAULT_COUNTRY", default: "US").uppercased()
        importer = ContactImporter(database: database, bucket: try env.bucket("FILES"), queue: try env.queue("JOBS"), clock: clock,
                                   defaultCountry: defaultCountry, logger: env.logger)
    }

    var authenticator: Authenticator {
        Authenticator(principals: PrincipalStore(database: sessions.database, clock: clock), apiKeys: apiKeys)
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

extension Request {
    /// The client's IP, for rate limits and the audit log.
    var clientIP: String {
        if remoteAddress.hasPrefix("[") { return String(remoteAddress.prefix { $0 != "]" }.dropFirst()) }
        return String(remoteAddress.prefix { $0 != ":" })
    }
}

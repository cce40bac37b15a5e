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
    let signInGuard: SignInGuard
    let knownClients: KnownClients
    let oauth: OAuthFlow
    let contacts: ContactStore
    let groups: GroupStore
    let templates: TemplateStore
    let importer: ContactImporter
    let messages: MessageStore
    let scheduler: MessageScheduler
    let deliveryQueue: DeliveryQueue
    let engine: DeliveryEngine
    let providers: SMSProviders
    let smsSettings: SMSSettingsStore
    let inbox: Inbox
    let events: WorkspaceEvents
    let webhooks: WebhookDispatcher
    let external: ExternalDelivery
    let books: BookStore
    let participants: ParticipantStore
    let study: StudyScheduler
    let bookAnalytics: BookAnalytics
    let stats: MessageStats
    /// The origin Twilio calls us at (`PUBLIC_URL`): signatures are checked against it.
    let publicURL: String
    let streamHeartbeatSeconds: Int
    /// The country of phone numbers given without a country code (`DEFAULT_COUNTRY`, ISO 3166 alpha-2).
    let defaultCountry: String
    let clock: any WallClock
    let logger: Logger

    init(env: WorkerEnv) throws {
        let clock = env.clock
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
        signInGuard = SignInGuard(clock: clock)
        oauth = OAuthFlow(providers: try OAuthProviders.load(env), kv: try env.kv("KV"), outbound: env.outbound)
        contacts = ContactStore(database: database, clock: clock)
        groups = GroupStore(database: database, clock: clock)
        templates = TemplateStore(database: database, clock: clock)
        defaultCountry = env.var("DEFAULT_COUNTRY", default: "US").uppercased()
        importer = ContactImporter(database: database, bucket: try env.bucket("FILES"), queue: try env.queue("JOBS"), clock: clock,
                                   defaultCountry: defaultCountry, logger: env.logger)
        publicURL = String(env.var("PUBLIC_URL", default: "http://127.0.0.1:8787").reversed().drop { $0 == "/" }.reversed())
        events = WorkspaceEvents(database: database, pubsub: try env.pubsub("LIVE"), clock: clock)
        streamHeartbeatSeconds = Int(env.var("STREAM_HEARTBEAT_SECONDS", default: "15")) ?? 15
        messages = MessageStore(database: database, clock: clock)
        let delivery = try env.queue("DELIVERY")
        deliveryQueue = DeliveryQueue(queue: delivery, messages: messages, clock: clock)
        scheduler = MessageScheduler(messages: messages, queue: deliveryQueue, templates: templates, clock: clock)
        smsSettings = SMSSettingsStore(database: database, key: try CredentialKey.load(env), clock: clock)
        knownClients = KnownClients(database: database, key: Crypto.hmacSHA256(key: smsSettings.key, Array("known-client-cookie".utf8)), clock: clock)
        let simulated = try SimulatedSMSProvider(
            logPath: env.dataDirectory + "/simulated-sms.log",
            // Derived from the credentials key unless set (tests sign callbacks with a known token).
            authToken: env.var("SIMULATED_SMS_AUTH_TOKEN", default: Crypto.hex(Crypto.hmacSHA256(key: smsSettings.key, Array("simulated-sms-account".utf8)))),
            callbacks: delivery, deliveryMs: Int(env.var("SIM_SMS_DELIVERY_MS", default: "500")) ?? 500,
            slowDeliveryMs: Int(env.var("SIM_SMS_SLOW_DELIVERY_MS", default: "5000")) ?? 5000,
            latencyMs: Int(env.var("SIM_SMS_LATENCY_MS", default: "0")) ?? 0)
        providers = SMSProviders(settings: smsSettings, simulated: simulated, outbound: env.outbound,
                                 twilioBaseURL: env.var("TWILIO_API_BASE", default: "https://api.twilio.com"),
                                 statusCallbackURL: publicURL + "/api/v1/webhooks/twilio/status")
        engine = DeliveryEngine(messages: messages, queue: deliveryQueue, providers: providers, limiter: limiter, limits: try SendLimits(env),
                                events: events, logger: env.logger)
        inbox = Inbox(database: database, settings: smsSettings, events: events, clock: clock)
        let webhooks = WebhookDispatcher(store: WebhookStore(database: database, key: smsSettings.key, clock: clock), queue: try env.queue("WEBHOOKS"),
                                         outbound: env.outbound, settings: WebhookDispatcher.Settings(env), clock: clock, logger: env.logger)
        self.webhooks = webhooks
        external = ExternalDelivery(messages: messages)
        stats = MessageStats(database: database, clock: clock)
        books = BookStore(database: database, clock: clock)
        participants = ParticipantStore(database: database, clock: clock)
        study = StudyScheduler(books: books, messages: messages, queue: deliveryQueue, events: events)
        bookAnalytics = BookAnalytics(database: database, replyWindowMs: (Int64(env.var("STUDY_REPLY_WINDOW_HOURS", default: "24")) ?? 24) * 3_600_000)
        events.onFlush { events in try await webhooks.fanOut(events) }
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

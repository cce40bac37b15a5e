import Logging
import OzziRuntime

/// What every api domain builds on: the worker's bindings and settings, and the three services domains
/// share — who is calling (`accounts`), what changed (`events`), and how SMS goes out (`messaging`).
/// Anything else a domain needs it builds itself from `database` and the bindings.
struct APIEnvironment: Sendable {
    let env: WorkerEnv
    let database: any SQLDatabase
    let clock: any WallClock
    let logger: Logger
    /// The country of phone numbers given without a country code (`DEFAULT_COUNTRY`, ISO 3166 alpha-2).
    let defaultCountry: String
    /// The origin providers call us at (`PUBLIC_URL`), without a trailing slash: signatures are checked against it.
    let publicURL: String
    /// Seals secrets at rest (provider credentials, webhook signing secrets) and keys derived HMACs.
    let sealingKey: [UInt8]
    /// Token buckets for every throughput limit (sign-in per network, SMS per workspace and user).
    let limiter: RateLimiter
    let accounts: Accounts
    let events: WorkspaceEvents
    let messaging: Messaging
    /// Account email (verification, password resets, invitations): no workspace's, the host's own sender.
    let systemEmail: SystemEmailSender
    /// The workspaces' sending domains: the email routes check a From against them.
    let sendingDomains: SendingDomains

    init(env: WorkerEnv) throws {
        self.env = env
        database = try env.database("DB")
        clock = env.clock
        logger = env.logger
        defaultCountry = env.var("DEFAULT_COUNTRY", default: "US").uppercased()
        publicURL = BaseURL.withoutTrailingSlashes(env.var("PUBLIC_URL", default: "http://127.0.0.1:8787"))
        sealingKey = try CredentialKey.load(env)
        limiter = RateLimiter(env.tokenBuckets)
        let pubsub = try env.pubsub("LIVE")
        accounts = Accounts(database: database, clock: clock, logger: logger, pubsub: pubsub, sealingKey: sealingKey)
        events = WorkspaceEvents(database: database, pubsub: pubsub, clock: clock)
        sendingDomains = try SendingDomains(env: env, database: database, sealingKey: sealingKey, events: events)
        messaging = try Messaging(env: env, database: database, events: events, limiter: limiter, sealingKey: sealingKey, publicURL: publicURL)
        systemEmail = try SystemEmailSender(env: env, publicURL: publicURL, sealingKey: sealingKey)
    }
}

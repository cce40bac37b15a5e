import OzziRuntime

/// The engine's limits, from the worker's vars: send rates (token buckets per workspace and per user,
/// messages per second, `burst` deep), retries of transient failures, and provider calls in flight.
struct SendLimits: Sendable {
    var perWorkspace: RateLimit
    var perUser: RateLimit
    /// Email's own rates: providers take far more email than SMS (a campaign paces itself below these).
    var emailPerWorkspace: RateLimit
    var emailPerUser: RateLimit
    var maxAttempts: Int
    var retry: RetryPolicy
    /// Sends in flight at once, per channel: an SMS is a provider call of its own; emails go to their
    /// provider in batches (Resend takes 100 a request), so email's limits count emails.
    var sms: InFlight
    var email: InFlight

    /// Sends of one channel in flight at once, per host and per provider account; and how many claimed
    /// sends an account may have waiting for its slots before its jobs wait in the queue instead.
    struct InFlight: Sendable {
        let total: Int
        let perAccount: Int
        var backlogPerAccount: Int { 4 * perAccount }
    }

    /// A rate or burst that is not a positive number stops start-up naming the var (a rate of 0 would
    /// divide by zero in the buckets).
    init(_ env: WorkerEnv) throws {
        func positive(_ name: String, _ fallback: Double?) throws -> Double {
            let text = env.var(name, default: "")
            if text.isEmpty, let fallback { return fallback }
            guard let value = Double(text), value.isFinite, value > 0 else {
                throw InvalidSendLimit(name: name, value: text)
            }
            return value
        }
        let workspaceRate = try positive("SMS_RATE_PER_WORKSPACE", 50)
        let userRate = try positive("SMS_RATE_PER_USER", 50)
        let burst = try positive("SMS_RATE_BURST", max(workspaceRate, userRate))
        perWorkspace = RateLimit("sms:workspace", capacity: burst, perSecond: workspaceRate)
        perUser = RateLimit("sms:user", capacity: burst, perSecond: userRate)
        let emailWorkspaceRate = try positive("EMAIL_RATE_PER_WORKSPACE", 1000)
        let emailUserRate = try positive("EMAIL_RATE_PER_USER", 1000)
        let emailBurst = try positive("EMAIL_RATE_BURST", max(emailWorkspaceRate, emailUserRate))
        emailPerWorkspace = RateLimit("email:workspace", capacity: emailBurst, perSecond: emailWorkspaceRate)
        emailPerUser = RateLimit("email:user", capacity: emailBurst, perSecond: emailUserRate)
        maxAttempts = Int(env.var("SMS_MAX_ATTEMPTS", default: "5")) ?? 5
        retry = RetryPolicy(baseSeconds: Double(env.var("SMS_RETRY_BASE_SECONDS", default: "5")) ?? 5, maxSeconds: 3600)
        sms = InFlight(total: Int(try positive("SMS_MAX_IN_FLIGHT", 512)), perAccount: Int(try positive("SMS_MAX_IN_FLIGHT_PER_ACCOUNT", 100)))
        // Four of a batch provider's requests of 100 per account. A campaign's sends are marked dispatched and
        // their results recorded a turn at a time; with 100 emails in flight (one request, as SMS's limit let)
        // the turns were small and each email cost 6% more CPU (bench/email.sh, session 26).
        email = InFlight(total: Int(try positive("EMAIL_MAX_IN_FLIGHT", 2048)), perAccount: Int(try positive("EMAIL_MAX_IN_FLIGHT_PER_ACCOUNT", 400)))
    }

    func inFlight(_ channel: MessageChannel) -> InFlight {
        channel == .sms ? sms : email
    }

    /// The workspace's and the user's rate for a channel.
    func rates(_ channel: MessageChannel) -> (workspace: RateLimit, user: RateLimit) {
        channel == .sms ? (perWorkspace, perUser) : (emailPerWorkspace, emailPerUser)
    }
}

struct InvalidSendLimit: Error, CustomStringConvertible {
    let name: String
    let value: String
    var description: String { "var \(name) must be a number above 0, not '\(value)'" }
}

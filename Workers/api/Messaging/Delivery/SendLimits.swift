import OzziRuntime

/// The engine's limits, from the worker's vars: send rates (token buckets per workspace and per user,
/// messages per second, `burst` deep), and retries of transient failures.
struct SendLimits: Sendable {
    var perWorkspace: RateLimit
    var perUser: RateLimit
    var maxAttempts: Int
    var retry: RetryPolicy

    init(_ env: WorkerEnv) {
        let workspaceRate = Double(env.var("SMS_RATE_PER_WORKSPACE", default: "50")) ?? 50
        let userRate = Double(env.var("SMS_RATE_PER_USER", default: "50")) ?? 50
        let burst = Double(env.var("SMS_RATE_BURST", default: "")) ?? max(workspaceRate, userRate)
        perWorkspace = RateLimit("sms:workspace", capacity: burst, perSecond: workspaceRate)
        perUser = RateLimit("sms:user", capacity: burst, perSecond: userRate)
        maxAttempts = Int(env.var("SMS_MAX_ATTEMPTS", default: "5")) ?? 5
        retry = RetryPolicy(baseSeconds: Double(env.var("SMS_RETRY_BASE_SECONDS", default: "5")) ?? 5, maxSeconds: 3600)
    }
}

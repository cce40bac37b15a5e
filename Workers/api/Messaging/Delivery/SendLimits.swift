import OzziRuntime

/// The engine's limits, from the worker's vars: send rates (token buckets per workspace and per user,
/// messages per second, `burst` deep), and retries of transient failures.
struct SendLimits: Sendable {
    var perWorkspace: Double
    var perUser: Double
    var burst: Double
    var maxAttempts: Int
    var retry: RetryPolicy

    init(_ env: WorkerEnv) {
        perWorkspace = Double(env.var("SMS_RATE_PER_WORKSPACE", default: "50")) ?? 50
        perUser = Double(env.var("SMS_RATE_PER_USER", default: "50")) ?? 50
        burst = Double(env.var("SMS_RATE_BURST", default: "")) ?? max(perWorkspace, perUser)
        maxAttempts = Int(env.var("SMS_MAX_ATTEMPTS", default: "5")) ?? 5
        retry = RetryPolicy(baseSeconds: Double(env.var("SMS_RETRY_BASE_SECONDS", default: "5")) ?? 5, maxSeconds: 3600)
    }
}

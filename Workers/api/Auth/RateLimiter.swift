import OzziRuntime

/// The api's throughput limits over the host's token buckets (`TokenBuckets`): in process on one host,
/// in Redis when hosts share the work, so a limit holds for the cluster. Lockouts live in `SignInGuard`,
/// apart, where no flood of throughput keys can reach them.
struct RateLimiter: Sendable {
    let buckets: any TokenBuckets

    init(_ buckets: any TokenBuckets) {
        self.buckets = buckets
    }

    /// Reserves one action under `limit`; returns the milliseconds until its slot (0: now).
    func reserve(_ limit: RateLimit, _ key: String) async throws -> Int64 {
        try await buckets.reserve(limit, key)
    }

    /// Throws 429 with `Retry-After` when `key` is out of actions under `limit`.
    func check(_ limit: RateLimit, _ key: String) async throws {
        if let wait = try await buckets.take(limit, key) { throw APIError.rateLimited(retryAfterSeconds: wait) }
    }
}

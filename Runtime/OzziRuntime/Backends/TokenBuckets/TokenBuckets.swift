/// Token buckets for throughput limits (`RateLimit`), by key: sign-in guards, API limits, SMS pacing.
///
/// One host keeps them in process (`LocalTokenBuckets`); hosts that share the work share them in Redis
/// (`RedisTokenBuckets`), so a limit holds for the cluster as a whole, not per host. Either way the time
/// comes from the injected clock, and a bucket nobody touched is full.
public protocol TokenBuckets: Sendable {
    /// Takes one token from `key`'s bucket under `limit`; returns nil when taken, else the whole seconds
    /// until one is (at least 1), for `Retry-After`.
    func take(_ limit: RateLimit, _ key: String) async throws -> Int?

    /// Reserves one token; returns the milliseconds until the reserved slot (0: now). Reservations run the
    /// bucket negative, so deferred actions come back spaced at the rate rather than all at once to find
    /// it empty again.
    func reserve(_ limit: RateLimit, _ key: String) async throws -> Int64
}

/// The arithmetic both kinds of buckets do (the Redis script does it in Lua, line for line): refill by
/// the time passed, then take or reserve.
struct TokenBucket: Sendable, Equatable {
    var tokens: Double
    /// When `tokens` was last refilled (ms).
    var updated: Int64

    /// A bucket no one has touched: full.
    static func full(_ limit: RateLimit, now: Int64) -> TokenBucket {
        TokenBucket(tokens: limit.capacity, updated: now)
    }

    /// Adds what accrued since `updated`. A clock behind `updated` (another host's, a little slow) adds
    /// nothing and leaves `updated` alone rather than granting the same time twice.
    mutating func refill(_ limit: RateLimit, now: Int64) {
        guard now > updated else { return }
        tokens = min(limit.capacity, tokens + Double(now - updated) * limit.perMillisecond)
        updated = now
    }

    mutating func take(_ limit: RateLimit) -> Int? {
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return max(1, Int(((1 - tokens) / limit.perMillisecond / 1000).rounded(.up)))
    }

    mutating func reserve(_ limit: RateLimit) -> Int64 {
        tokens -= 1
        return tokens >= 0 ? 0 : Int64((-tokens / limit.perMillisecond).rounded(.up))
    }

    /// Milliseconds from `updated` until the bucket is full again: from then on, forgetting it changes nothing.
    func millisecondsUntilFull(_ limit: RateLimit) -> Int64 {
        Int64(((limit.capacity - tokens) / limit.perMillisecond).rounded(.up))
    }
}

import OzziRuntime
import Synchronization

/// Token buckets for throughput limits (`RateLimit`), by key. In-process, as the host is one process; the
/// clock is injected.
///
/// Memory is bounded per limit: each keeps at most `keysPerLimit` buckets, forgetting refilled ones first
/// and then the least recently used (`LRUTable`), one at a time. Forgetting a bucket gives its key a full
/// one again, so an evicted bucket must be one no client has touched while `keysPerLimit` others were;
/// per-network keys (an IPv6 /64, not an address) keep a single host from minting that many. Lockouts
/// live in `SignInGuard`, apart, where no flood of throughput keys can reach them.
final class RateLimiter: Sendable {
    private struct Bucket: Forgettable {
        var tokens: Double
        var updated: Int64
        var forgettableAt: Int64
    }

    private let tables = Mutex<[String: LRUTable<Bucket>]>([:])
    private let clock: any WallClock
    let keysPerLimit: Int

    init(clock: any WallClock, keysPerLimit: Int = 100_000) {
        self.clock = clock
        self.keysPerLimit = keysPerLimit
    }

    /// Takes one action; returns nil when allowed, else the seconds until one is.
    func take(_ limit: RateLimit, _ key: String) -> Int? {
        let rate = limit.perSecond / 1000
        return withBucket(limit, key) { bucket in
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate / 1000).rounded(.up)))
        }
    }

    /// Reserves one action; returns the milliseconds until the reserved slot (0: now). Reservations run
    /// the bucket negative, so deferred actions come back spaced at the rate rather than all at once to
    /// find it empty again.
    func reserve(_ limit: RateLimit, _ key: String) -> Int64 {
        let rate = limit.perSecond / 1000
        return withBucket(limit, key) { bucket in
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? 0 : Int64((-bucket.tokens / rate).rounded(.up))
        }
    }

    /// Throws 429 with `Retry-After` when `key` is out of actions under `limit`.
    func check(_ limit: RateLimit, _ key: String) throws {
        if let wait = take(limit, key) { throw APIError.rateLimited(retryAfterSeconds: wait) }
    }

    /// How many keys `limit` holds now (for tests).
    func count(_ limit: RateLimit) -> Int {
        tables.withLock { $0[limit.name]?.count ?? 0 }
    }

    /// Refills `key`'s bucket to now and lets `body` take from it.
    private func withBucket<T: Sendable>(_ limit: RateLimit, _ key: String, _ body: @Sendable (inout Bucket) -> T) -> T {
        let now = clock.milliseconds
        let rate = limit.perSecond / 1000
        return tables.withLock { tables in
            tables[limit.name, default: LRUTable(capacity: keysPerLimit)].update(key, now: now) { stored in
                var bucket = stored ?? Bucket(tokens: limit.capacity, updated: now, forgettableAt: now)
                bucket.tokens = min(limit.capacity, bucket.tokens + Double(now - bucket.updated) * rate)
                bucket.updated = now
                let result = body(&bucket)
                // Full again then: from that moment a fresh bucket would answer the same.
                bucket.forgettableAt = now + Int64(((limit.capacity - bucket.tokens) / rate).rounded(.up))
                stored = bucket
                return result
            }
        }
    }
}

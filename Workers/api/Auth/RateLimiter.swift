import OzziRuntime
import Synchronization

/// Token buckets by key (`login:ip:1.2.3.4`, `login:account:a@b.c`): `capacity` attempts, refilled at
/// `capacity` per `periodSeconds`. In-process, as the host is one process; the clock is injected.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Takes one attempt; returns nil when allowed, else the seconds until one is.
    func take(_ key: String, capacity: Int, periodSeconds: Int) -> Int? {
        let rate = Double(capacity) / Double(periodSeconds * 1000)
        return withBucket(key, capacity: Double(capacity), ratePerMs: rate) { bucket in
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate / 1000).rounded(.up)))
        }
    }

    /// Reserves one action in a bucket of `burst` refilled at `perSecond`; returns the milliseconds until
    /// the reserved slot (0: now). Reservations run the bucket negative, so deferred actions come back
    /// spaced at the rate rather than all at once to find it empty again.
    func reserve(_ key: String, perSecond: Double, burst: Double) -> Int64 {
        let rate = perSecond / 1000
        return withBucket(key, capacity: burst, ratePerMs: rate) { bucket in
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? 0 : Int64((-bucket.tokens / rate).rounded(.up))
        }
    }

    /// Refills `key`'s bucket to now and lets `body` take from it.
    private func withBucket<T>(_ key: String, capacity: Double, ratePerMs: Double, _ body: (inout Bucket) -> T) -> T {
        let now = clock.milliseconds
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + Double(now - bucket.updated) * ratePerMs)
            bucket.updated = now
            let result = body(&bucket)
            buckets[key] = bucket
            if buckets.count > 100_000 { buckets.removeAll() }  // bound memory under a flood of keys
            return result
        }
    }

    /// Throws 429 with `Retry-After` when any of `keys` is out of attempts.
    func check(_ keys: [String], capacity: Int, periodSeconds: Int) throws {
        for key in keys {
            if let wait = take(key, capacity: capacity, periodSeconds: periodSeconds) {
                throw APIError.rateLimited(retryAfterSeconds: wait)
            }
        }
    }
}

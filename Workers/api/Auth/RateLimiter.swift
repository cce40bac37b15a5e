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
        let now = clock.milliseconds
        let rate = Double(capacity) / Double(periodSeconds * 1000)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(capacity), updated: now)
            bucket.tokens = min(Double(capacity), bucket.tokens + Double(now - bucket.updated) * rate)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > 100_000 { buckets.removeAll() }  // bound memory under a flood of keys
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate / 1000).rounded(.up)))
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

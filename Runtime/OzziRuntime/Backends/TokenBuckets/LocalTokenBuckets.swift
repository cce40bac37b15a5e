import Synchronization

/// Token buckets in this process: right for one host, and the default.
///
/// Memory is bounded per limit: each keeps at most `keysPerLimit` buckets, forgetting refilled ones first
/// and then the least recently used (`LRUTable`), one at a time. Forgetting a bucket gives its key a full
/// one again, so an evicted bucket must be one no client has touched while `keysPerLimit` others were;
/// per-network keys (an IPv6 /64, not an address) keep a single host from minting that many.
public final class LocalTokenBuckets: TokenBuckets {
    private struct Entry: Forgettable {
        var bucket: TokenBucket
        var forgettableAt: Int64
    }

    private let tables = Mutex<[String: LRUTable<Entry>]>([:])
    private let clock: any WallClock
    public let keysPerLimit: Int

    public init(clock: any WallClock, keysPerLimit: Int = 100_000) {
        self.clock = clock
        self.keysPerLimit = keysPerLimit
    }

    public func take(_ limit: RateLimit, _ key: String) -> Int? {
        withBucket(limit, key) { $0.take(limit) }
    }

    public func reserve(_ limit: RateLimit, _ key: String) -> Int64 {
        withBucket(limit, key) { $0.reserve(limit) }
    }

    /// How many keys `limit` holds now.
    public func count(_ limit: RateLimit) -> Int {
        tables.withLock { $0[limit.name]?.count ?? 0 }
    }

    /// Refills `key`'s bucket to now and lets `body` take from it.
    private func withBucket<T: Sendable>(_ limit: RateLimit, _ key: String, _ body: @Sendable (inout TokenBucket) -> T) -> T {
        let now = clock.milliseconds
        return tables.withLock { tables in
            tables[limit.name, default: LRUTable(capacity: keysPerLimit)].update(key, now: now) { stored in
                var bucket = stored?.bucket ?? .full(limit, now: now)
                bucket.refill(limit, now: now)
                let result = body(&bucket)
                stored = Entry(bucket: bucket, forgettableAt: bucket.updated + bucket.millisecondsUntilFull(limit))
                return result
            }
        }
    }
}

import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

/// The same bucket behaviour in process and in Redis, and Redis's buckets shared by several hosts.
@Suite struct TokenBucketsTests {
    let clock = ManualClock(milliseconds: 1_800_000_000_000)

    @Test(arguments: BucketEngine.allCases)
    func takeAnswersTheSecondsUntilTheNextToken(_ engine: BucketEngine) async throws {
        try await engine.withBuckets(clock: clock) { hosts throws in
            let buckets = hosts[0]
            let signIn = RateLimit("login", 20, per: 60)
            for _ in 0..<20 { #expect(try await buckets.take(signIn, "203.0.113.7") == nil) }
            #expect(try await buckets.take(signIn, "203.0.113.7") == 3, "20 a minute: the next in 3 s")
            #expect(try await buckets.take(signIn, "203.0.113.8") == nil, "another key has its own bucket")
            #expect(try await buckets.take(RateLimit("signup", 20, per: 60), "203.0.113.7") == nil, "another limit too")
            clock.advance(byMilliseconds: 3_000)
            #expect(try await buckets.take(signIn, "203.0.113.7") == nil)
            #expect(try await buckets.take(signIn, "203.0.113.7") == 3)
        }
    }

    @Test(arguments: BucketEngine.allCases)
    func reservationsSpaceActionsAtTheRate(_ engine: BucketEngine) async throws {
        try await engine.withBuckets(clock: clock) { hosts in
            let buckets = hosts[0]
            let limit = RateLimit("sms:test", capacity: 2, perSecond: 10)
            var waits: [Int64] = []
            for _ in 0..<4 { waits.append(try await buckets.reserve(limit, "ws_1")) }
            #expect(waits == [0, 0, 100, 200])
            clock.advance(byMilliseconds: 300)
            #expect(try await buckets.reserve(limit, "ws_1") == 0, "the reserved slots are past: one token again")
            #expect(try await buckets.reserve(limit, "ws_1") == 100)
            #expect(try await buckets.take(limit, "ws_1") == 1, "a take finds the bucket owed, and waits at least a second")
        }
    }

    @Test(arguments: BucketEngine.allCases)
    func aBucketRefillsOnlyToItsCapacity(_ engine: BucketEngine) async throws {
        try await engine.withBuckets(clock: clock) { hosts throws in
            let buckets = hosts[0]
            let limit = RateLimit("burst", capacity: 3, perSecond: 1)
            for _ in 0..<3 { #expect(try await buckets.take(limit, "k") == nil) }
            clock.advance(byMilliseconds: 3_600_000)
            for _ in 0..<3 { #expect(try await buckets.take(limit, "k") == nil) }
            #expect(try await buckets.take(limit, "k") == 1)
        }
    }

    /// Two hosts taking from one bucket at once get its tokens between them, never more.
    @Test(arguments: BucketEngine.allCases)
    func hostsShareOneBucket(_ engine: BucketEngine) async throws {
        try await engine.withBuckets(hosts: 2, clock: clock) { hosts in
            let limit = RateLimit("sms:workspace", capacity: 50, perSecond: 50)
            let allowed = try await withThrowingTaskGroup(of: Int.self) { group in
                for buckets in hosts {
                    for _ in 0..<40 {
                        group.addTask { try await buckets.take(limit, "ws_1") == nil ? 1 : 0 }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(allowed == 50, "50 in total across both hosts, not 50 each")
            #expect(try await hosts[0].reserve(limit, "ws_1") == 20, "the second host's takes drained the first's bucket too")
        }
    }

    @Test func inProcessEachLimitKeepsItsOwnBoundedBuckets() {
        let buckets = LocalTokenBuckets(clock: clock, keysPerLimit: 100)
        let signIn = RateLimit("login", 20, per: 60), refresh = RateLimit("refresh", 60, per: 60)
        for _ in 0..<20 { #expect(buckets.take(signIn, "203.0.113.7") == nil) }
        for n in 0..<1000 { _ = buckets.take(refresh, "10.0.\(n / 256).\(n % 256)") }
        #expect(buckets.count(refresh) == 100)
        #expect(buckets.take(signIn, "203.0.113.7") == 3, "a flood on one limit evicts nothing of another's")
        clock.advance(byMilliseconds: 60_000)
        _ = buckets.take(refresh, "10.9.9.9")
        _ = buckets.take(refresh, "10.9.9.8")
        #expect(buckets.count(refresh) == 98, "each write lets go of up to two refilled buckets")
    }

    @Test func redisForgetsABucketOnceItIsFullAgain() async throws {
        try await withRedisHosts(1) { clients in
            let prefix = TestRedis.unique("rate") + ":"
            // The real clock here: Redis expires the bucket by its own, and the bucket must be full by ours.
            let buckets = RedisTokenBuckets(client: clients[0], clock: SystemClock(), keyPrefix: prefix, slack: .zero)
            let limit = RateLimit("fast", capacity: 2, perSecond: 20)
            #expect(try await buckets.take(limit, "k") == nil)
            let left = try #require(try await clients[0].send(["PTTL", prefix + "fast:k"]).integer)
            #expect(left != -1 && left <= 50, "kept no longer than until full again, 50 ms after one take")
            #expect(try await Poll.until { try await clients[0].send(["EXISTS", prefix + "fast:k"]) == .integer(0) })
            #expect(try await buckets.take(limit, "k") == nil)
            #expect(try await buckets.take(limit, "k") == nil, "a forgotten bucket is a full one")
        }
    }

    @Test func redisSendsTheScriptAgainWhenTheServerHasForgottenIt() async throws {
        // A server of its own: no other test's script calls may load the script again meanwhile.
        let redis = try await TestRedis.start()
        do {
            try await withRedisHosts(1, on: redis) { clients throws in
                let buckets = RedisTokenBuckets(client: clients[0], clock: clock)
                let limit = RateLimit("any", 5, per: 60)
                let loaded = ["SCRIPT", "EXISTS", RedisTokenBuckets.script.sha1]
                #expect(try await clients[0].send(loaded) == .array([.integer(0)]))
                #expect(try await buckets.take(limit, "k") == nil)
                #expect(try await clients[0].send(loaded) == .array([.integer(1)]), "EVAL cached it")
                #expect(try await clients[0].send(["SCRIPT", "FLUSH"]) == .status("OK"))
                #expect(try await buckets.take(limit, "k") == nil)
                #expect(try await clients[0].send(loaded) == .array([.integer(1)]), "and again after the flush")
            }
        } catch {
            await redis.remove()
            throw error
        }
        await redis.remove()
    }

    @Test func aClockBehindTheBucketNeitherRefillsNorDrainsIt() {
        let limit = RateLimit("l", capacity: 2, perSecond: 1)
        var bucket = TokenBucket(tokens: 0, updated: 10_000)
        bucket.refill(limit, now: 5_000)
        #expect(bucket == TokenBucket(tokens: 0, updated: 10_000))
        #expect(bucket.take(limit) == 1)
        bucket.refill(limit, now: 11_000)
        #expect(bucket == TokenBucket(tokens: 1, updated: 11_000))
    }
}

/// Where a test's buckets live: in process, or in the test Redis with one client per host.
enum BucketEngine: String, CaseIterable, CustomTestStringConvertible {
    case local, redis

    var testDescription: String { rawValue }

    /// Runs `body` with `hosts` views of one set of buckets, all on `clock`: one in-process instance for
    /// every host, or one `RedisTokenBuckets` per host under a key prefix of this run's own.
    func withBuckets(hosts: Int = 1, clock: any WallClock, _ body: ([any TokenBuckets]) async throws -> Void) async throws {
        switch self {
        case .local:
            let buckets = LocalTokenBuckets(clock: clock)
            try await body(Array(repeating: buckets as any TokenBuckets, count: hosts))
        case .redis:
            let prefix = TestRedis.unique("rate") + ":"
            try await withRedisHosts(hosts) { clients in
                try await body(clients.map { RedisTokenBuckets(client: $0, clock: clock, keyPrefix: prefix) })
            }
        }
    }
}

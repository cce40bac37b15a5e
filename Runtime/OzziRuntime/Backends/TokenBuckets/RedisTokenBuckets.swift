/// Token buckets in Redis, shared by every host that uses the same server and key prefix: a limit of 50
/// a second holds for the cluster, not 50 per host.
///
/// Each bucket is a hash (`tokens`, `updated`) that one Lua script refills and takes from atomically, so
/// two hosts taking at once never both take the last token. The time is the caller's clock (hosts keep
/// theirs in step with NTP; `TokenBucket.refill` ignores a clock that runs a little behind), so the
/// arithmetic is `TokenBucket`'s exactly. A bucket expires once it would be full again (plus `slack`,
/// so a host whose clock is behind Redis's never finds a draining bucket gone), which is when forgetting
/// it changes nothing: Redis holds only the buckets in use.
public final class RedisTokenBuckets: TokenBuckets {
    private let client: RedisClient
    private let clock: any WallClock
    private let keyPrefix: String
    private let slackMilliseconds: Int64

    /// Buckets live under `keyPrefix` + limit name + `:` + key.
    public init(client: RedisClient, clock: any WallClock = SystemClock(), keyPrefix: String = "ozzi:rate:",
                slack: Duration = .seconds(60)) {
        self.client = client
        self.clock = clock
        self.keyPrefix = keyPrefix
        slackMilliseconds = slack.components.seconds * 1000 + slack.components.attoseconds / 1_000_000_000_000_000
    }

    public func take(_ limit: RateLimit, _ key: String) async throws -> Int? {
        let wait = try await run(limit, key, mode: "take")
        return wait < 0 ? nil : Int(wait)
    }

    public func reserve(_ limit: RateLimit, _ key: String) async throws -> Int64 {
        try await run(limit, key, mode: "reserve")
    }

    /// Runs the script on `key`'s bucket; its answer is `take`'s wait (-1 when taken) or `reserve`'s.
    private func run(_ limit: RateLimit, _ key: String, mode: String) async throws -> Int64 {
        let reply = try await Self.script.run(
            on: client, keys: [keyPrefix + limit.name + ":" + key],
            // Swift prints a double in the shortest text that reads back as the same double, as Lua's tonumber does.
            arguments: ["\(limit.capacity)", "\(limit.perMillisecond)", String(clock.milliseconds), mode, String(slackMilliseconds)])
        guard let answer = reply.integer else { throw RedisError.unexpectedReply(reply) }
        return answer
    }

    /// `TokenBucket`'s refill, take and reserve, then the expiry. Numbers are stored with 17 significant
    /// digits, so they read back as the doubles they were.
    static let script = RedisScript("""
        local capacity, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local mode, slack = ARGV[4], tonumber(ARGV[5])
        local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
        local tokens, updated = tonumber(stored[1]), tonumber(stored[2])
        if tokens == nil or updated == nil then tokens, updated = capacity, now end
        if now > updated then
          tokens = math.min(capacity, tokens + (now - updated) * rate)
          updated = now
        end
        local answer
        if mode == 'reserve' then
          tokens = tokens - 1
          if tokens >= 0 then answer = 0 else answer = math.ceil(-tokens / rate) end
        elseif tokens >= 1 then
          tokens = tokens - 1
          answer = -1
        else
          answer = math.max(1, math.ceil((1 - tokens) / rate / 1000))
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', string.format('%.17g', updated))
        redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + slack)
        return answer
        """)
}

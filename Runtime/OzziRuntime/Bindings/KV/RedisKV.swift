/// KV in the shared Redis, for many hosts.
///
/// A namespace is three kinds of keys under one hash tag (`{namespace}`, so a Redis Cluster keeps them on
/// one node and a script may touch them all): a hash per entry (`value`, `metadata`, `expiration`), a
/// sorted set of every key name at score 0 (`ZRANGEBYLEX` lists them in byte order from any cursor, as
/// SQLite and PostgreSQL do), and a sorted set of the names that expire, scored by when. Each write is
/// one Lua script, so the entry and both sets change together.
///
/// Expiry is decided by the namespace's clock, as on the other engines: reads and listings skip an entry
/// whose `expiration` has passed, and `sweepExpired` removes it. The clock, not Redis's, decides so that
/// every engine and every host answer alike, and tests can move time. Redis is also told to drop the
/// entry when its TTL runs out (`PEXPIRE`), so memory comes back without a sweep; a listing that meets
/// a name whose entry Redis dropped removes the name.
public final class RedisKV: KVNamespace {
    private let client: RedisClient
    private let clock: any WallClock
    /// The entry of key `k` is `entries + k`.
    private let entries: String
    private let names: String
    private let expiries: String

    /// A namespace in `client`'s server; `namespace` must be unique among every worker's namespaces on it
    /// (e.g. `worker/id`), and all keys live under `keyPrefix`.
    public init(client: RedisClient, namespace: String, clock: any WallClock = SystemClock(), keyPrefix: String = "ozzi:kv:") {
        self.client = client
        self.clock = clock
        let base = "\(keyPrefix){\(namespace)}:"
        entries = base + "entry:"
        names = base + "names"
        expiries = base + "expiries"
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVWrite.check(key: key)
        let reply = try await client.send(["HMGET", entries + key, "value", "metadata", "expiration"])
        guard let fields = reply.array, fields.count == 3 else { throw RedisError.unexpectedReply(reply) }
        guard case .bulk(let value) = fields[0] else { return nil }
        let expiration = fields[2].string.flatMap { Int64($0) }
        if let expiration, expiration <= clock.seconds { return nil }
        return KVEntry(value: value, metadata: KVWrite.metadata(fields[1].string), expiration: expiration)
    }

    public func put(_ key: String, _ value: [UInt8], options: KVPutOptions) async throws {
        let now = clock.milliseconds
        let write = try KVWrite(key, value, options: options, now: now / 1000)
        let expiration = write.expiration.map(String.init) ?? ""
        let ttl = write.expiration.map { String($0 * 1000 - now) } ?? ""
        _ = try await Self.put.run(on: client, keys: [Array((entries + key).utf8), Array(names.utf8), Array(expiries.utf8)],
                                   arguments: [Array(key.utf8), value, Array((write.metadata ?? "").utf8), Array(expiration.utf8), Array(ttl.utf8)])
    }

    public func delete(_ key: String) async throws {
        try KVWrite.check(key: key)
        _ = try await Self.delete.run(on: client, keys: [entries + key, names, expiries], arguments: [key])
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        let query = try KVListQuery(options)
        let (from, to) = Self.range(query)
        let reply = try await Self.list.run(on: client, keys: [Array(names.utf8), Array(expiries.utf8)],
                                            arguments: [from, to, Array(String(query.limit + 1).utf8), Array(String(clock.seconds).utf8),
                                                        Array(entries.utf8)])
        guard let rows = reply.array else { throw RedisError.unexpectedReply(reply) }
        let keys = try rows.map { row in
            guard let fields = row.array, fields.count == 3, let name = fields[0].string else { throw RedisError.unexpectedReply(row) }
            return KVListResult.Key(name: name, expiration: fields[1].string.flatMap { Int64($0) }, metadata: KVWrite.metadata(fields[2].string))
        }
        return query.page(keys)
    }

    public func sweepExpired() async throws -> Int {
        var swept = 0
        while true {
            let reply = try await Self.sweep.run(on: client, keys: [names, expiries],
                                                 arguments: [String(clock.seconds), entries, String(Self.sweepBatch)])
            guard let count = reply.integer else { throw RedisError.unexpectedReply(reply) }
            swept += Int(count)
            if count < Self.sweepBatch { return swept }
        }
    }

    /// Names swept per script call: Redis runs nothing else while a script runs.
    private static let sweepBatch: Int64 = 500

    /// The `ZRANGEBYLEX` bounds of a listing: after the cursor and from the prefix, up to the last name
    /// with the prefix. Key names are UTF-8, which never holds the byte 0xFF, so every name with the
    /// prefix sorts before the prefix followed by 0xFF.
    static func range(_ query: KVListQuery) -> (from: [UInt8], to: [UInt8]) {
        let after = Array(query.after.utf8), prefix = Array(query.prefix.utf8)
        let from: [UInt8] = if !after.isEmpty, !after.lexicographicallyPrecedes(prefix) {
            Array("(".utf8) + after
        } else if prefix.isEmpty {
            Array("-".utf8)
        } else {
            Array("[".utf8) + prefix
        }
        let to: [UInt8] = prefix.isEmpty ? Array("+".utf8) : Array("(".utf8) + prefix + [0xFF]
        return (from, to)
    }

    /// KEYS: entry, names, expiries. ARGV: name, value, metadata ("" for none), expiration ("" for
    /// none, else seconds since 1970), TTL in ms.
    private static let put = RedisScript("""
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'value', ARGV[2])
        if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'metadata', ARGV[3]) end
        redis.call('ZADD', KEYS[2], 0, ARGV[1])
        if ARGV[4] ~= '' then
          redis.call('HSET', KEYS[1], 'expiration', ARGV[4])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        else
          redis.call('ZREM', KEYS[3], ARGV[1])
        end
        return 1
        """)

    /// KEYS: entry, names, expiries. ARGV: name.
    private static let delete = RedisScript("""
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        return 1
        """)

    /// KEYS: names, expiries. ARGV: from, to (ZRANGEBYLEX bounds), how many, now (s), entry key prefix.
    /// Answers `[name, expiration, metadata]` for each unexpired name in order; drops names whose entry
    /// Redis expired. (Entry keys are built here from the prefix: they share the names' hash tag.)
    private static let list = RedisScript("""
        local from, to, want, now, entries = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
        local found = {}
        while #found < want do
          local batch = redis.call('ZRANGEBYLEX', KEYS[1], from, to, 'LIMIT', 0, want - #found)
          if #batch == 0 then break end
          for _, name in ipairs(batch) do
            from = '(' .. name
            local fields = redis.call('HMGET', entries .. name, 'expiration', 'metadata')
            if redis.call('EXISTS', entries .. name) == 0 then
              redis.call('ZREM', KEYS[1], name)
              redis.call('ZREM', KEYS[2], name)
            elseif not fields[1] or tonumber(fields[1]) > now then
              found[#found + 1] = {name, fields[1], fields[2]}
            end
          end
        end
        return found
        """)

    /// KEYS: names, expiries. ARGV: now (s), entry key prefix, batch size. Answers how many it removed.
    private static let sweep = RedisScript("""
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        for _, name in ipairs(expired) do
          redis.call('DEL', ARGV[2] .. name)
          redis.call('ZREM', KEYS[1], name)
          redis.call('ZREM', KEYS[2], name)
        end
        return #expired
        """)
}

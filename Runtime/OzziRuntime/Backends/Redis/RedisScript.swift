/// A Lua script run on the server by its digest (`EVALSHA`), so each call sends 40 bytes instead of the
/// source; a server that does not know it yet (restarted, flushed, or never told) gets the source once
/// (`EVAL`, which also caches it).
public struct RedisScript: Sendable {
    public let source: String
    /// The hex SHA-1 of `source`: the name Redis caches it under.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Crypto.hex(Crypto.sha1(Array(source.utf8)))
    }

    /// Runs the script atomically with `keys` (`KEYS[1...]`) and `arguments` (`ARGV[1...]`), binary-safe.
    public func run(on client: RedisClient, keys: [[UInt8]], arguments: [[UInt8]]) async throws(RedisError) -> RedisReply {
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        do {
            return try await client.send(bytes: [Array("EVALSHA".utf8), Array(sha1.utf8)] + tail)
        } catch .server(let message) where message.hasPrefix("NOSCRIPT") {
            return try await client.send(bytes: [Array("EVAL".utf8), Array(source.utf8)] + tail)
        }
    }

    /// `run` with text keys and arguments.
    public func run(on client: RedisClient, keys: [String], arguments: [String]) async throws(RedisError) -> RedisReply {
        try await run(on: client, keys: keys.map { Array($0.utf8) }, arguments: arguments.map { Array($0.utf8) })
    }
}

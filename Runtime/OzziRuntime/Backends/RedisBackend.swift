/// The Redis server `[server.backends] redis` names: pub/sub across hosts (and, through the same client,
/// the shared limits and cache invalidation). One client per host, on the first loop; it dials when the
/// host starts (`open`) and again by itself whenever the server comes back.
final class RedisBackend: Sendable {
    let url: RedisURL
    let client: RedisClient
    let pubsub: RedisPubSub

    /// What every key and channel starts with (`[server.backends] namespace`).
    let prefix: String

    init(url: RedisURL, loop: EventLoop, prefix: String) {
        self.url = url
        self.prefix = prefix
        client = RedisClient(url: url, loop: loop, name: "ozzi-host")
        pubsub = RedisPubSub(client: client, channelPrefix: prefix + "pubsub:")
    }

    /// Whether the server answers a PING now (fails at once while the client is reconnecting).
    func check() async -> BackendHealth {
        do {
            _ = try await client.send(["PING"])
            return BackendHealth(name: "redis", url: "\(url)", ok: true, error: nil)
        } catch {
            return BackendHealth(name: "redis", url: "\(url)", ok: false, error: "\(error)")
        }
    }
}

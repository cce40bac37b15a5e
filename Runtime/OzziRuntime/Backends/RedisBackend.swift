/// The Redis server `[server.backends] redis` names: pub/sub across hosts (and, through the same client,
/// the shared limits and cache invalidation). One client per host, on the first loop; it dials when the
/// host starts (`open`) and again by itself whenever the server comes back.
final class RedisBackend: Sendable {
    let url: RedisURL
    let client: RedisClient
    let pubsub: RedisPubSub

    init(url: RedisURL, loop: EventLoop) {
        self.url = url
        client = RedisClient(url: url, loop: loop, name: "ozzi-host")
        pubsub = RedisPubSub(client: client)
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

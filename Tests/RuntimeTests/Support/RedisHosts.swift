import OzziTestSupport
@testable import OzziRuntime

/// Runs `body` with `count` clients of the test Redis (or `server`), each on a loop of its own: as many
/// hosts sharing one server. Closes them afterwards, whether `body` throws or not.
func withRedisHosts(_ count: Int, on server: TestRedis? = nil, _ body: ([RedisClient]) async throws -> Void) async throws {
    let redis = if let server { server } else { try await TestRedis.shared() }
    let group = try EventLoopGroup(count: count)
    group.start()
    defer { group.shutdown() }
    var clients: [RedisClient] = []
    let result: Result<Void, Error>
    do {
        for (index, loop) in group.loops.enumerated() {
            clients.append(try await RedisClient.connect(to: redis.url, on: loop, name: "host-\(index)"))
        }
        try await body(clients)
        result = .success(())
    } catch {
        result = .failure(error)
    }
    for client in clients { await client.close() }
    try result.get()
}

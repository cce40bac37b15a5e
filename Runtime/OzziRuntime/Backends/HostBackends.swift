import Logging
import Synchronization

/// The shared engines a host's configuration names (`[server.backends]`), opened once per host and handed
/// to the bindings that use them. Without them the host runs on its embedded engines: SQLite files and
/// in-process pub/sub.
///
/// An engine that cannot be reached when the host starts stops it with a `ConfigError` naming the URL
/// (password masked) and the bindings that need it (exit 78); one lost later fails the requests that need
/// it with 503 (`BackendFailure`) until its connections are dialled again.
final class HostBackends: Sendable {
    let postgres: PostgresBackend?
    let redis: RedisBackend?
    private let file: String
    /// The bindings that use Redis, for the start-up error.
    private let redisUsers: String
    /// What `close` closes besides the workers' pools: the queues' and the cron claims' own.
    private let closers = Mutex<[@Sendable () -> Void]>([])

    /// Connects to PostgreSQL now (its calls block, as at any time, on the caller's thread); Redis is
    /// dialled by `open()` once `redisLoop` runs. Without a loop (`ozzi migrate`) Redis is left alone.
    /// Each PostgreSQL pool opened is shown in `pools`.
    init(_ config: HostConfig, redisLoop loop: EventLoop?, pools: BackendPoolMetrics? = nil) throws {
        file = config.file
        let users = Self.users(config)
        redisUsers = users.redis
        if let url = config.server.backends.postgres {
            do {
                postgres = try PostgresBackend(url: url, pools: pools)
            } catch {
                throw ConfigError(file: config.file, key: "server.backends.postgres",
                                  message: "\(error) — needed by \(users.postgres)")
            }
        } else {
            postgres = nil
        }
        if let url = config.server.backends.redis, let loop {
            do {
                redis = RedisBackend(url: try RedisURL(parsing: url), loop: loop, prefix: config.server.backends.redisPrefix)
            } catch {
                throw ConfigError(file: config.file, key: "server.backends.redis", message: "\(error)")
            }
        } else {
            redis = nil
        }
    }

    /// The host's queues: on PostgreSQL, shared by every host (leases that run out, NOTIFY wake-ups);
    /// else one SQLite file each under `<data dir>/queues`.
    func queues(dataDirectory: String, clock: any WallClock, logger: Logger) throws -> QueueRegistry {
        guard let postgres else { return try QueueRegistry(directory: dataDirectory + "/queues", clock: clock) }
        do {
            let queues = try QueueRegistry(postgres: postgres.url, clock: clock, logger: logger)
            closers.withLock { $0.append { queues.close() } }
            return queues
        } catch {
            throw ConfigError(file: file, key: "server.backends.postgres", message: "\(error) — needed by the queues")
        }
    }

    /// Who may fire a cron minute: on PostgreSQL one host of the cluster (a claim row per minute); else
    /// this host, always.
    func cronClaims() throws -> any CronClaims {
        guard let postgres else { return LocalCronClaims() }
        do {
            let claims = try PostgresCronClaims(postgres: postgres.url)
            closers.withLock { $0.append { claims.close() } }
            return claims
        } catch {
            throw ConfigError(file: file, key: "server.backends.postgres", message: "\(error) — needed by the cron triggers")
        }
    }

    /// Dials what needs a running loop (Redis).
    func open() async throws {
        guard let redis else { return }
        do {
            try await redis.client.open()
        } catch {
            throw ConfigError(file: file, key: "server.backends.redis", message: "\(error) — needed by \(redisUsers)")
        }
    }

    /// Closes what `open` dialled; before the loops stop.
    func close() async {
        await redis?.client.close()
        for close in closers.withLock({ $0 }) { close() }
        postgres?.close()
    }

    /// Each configured engine's state, for `/__ozzi/health`.
    func health() async -> [BackendHealth] {
        var states: [BackendHealth] = []
        if let postgres { states.append(await postgres.check()) }
        if let redis { states.append(await redis.check()) }
        return states
    }

    /// The bindings each engine backs, in words: "the SQL binding 'DB' of worker 'api'".
    private static func users(_ config: HostConfig) -> (postgres: String, redis: String) {
        var postgres: [String] = [], redis: [String] = []
        for worker in config.workers {
            postgres += worker.bindings.databases.map { "the SQL binding '\($0.binding)' of worker '\(worker.name)'" }
            redis += worker.bindings.pubsub.map { "the pub/sub binding '\($0)' of worker '\(worker.name)'" }
        }
        func words(_ list: [String]) -> String { list.isEmpty ? "the host" : list.joined(separator: ", ") }
        return (words(postgres), words(redis))
    }
}

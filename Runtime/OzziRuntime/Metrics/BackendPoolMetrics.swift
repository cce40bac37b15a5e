import Synchronization

/// A pool of connections to a shared backend (PostgreSQL, Redis) whose use `/__ozzi/metrics` shows.
public protocol BackendPoolUsage: Sendable {
    /// The engine: `postgres`, `redis`.
    var backend: String { get }
    /// Which pool of that engine: a worker's binding (`api/DB`), or the host's own client.
    var poolName: String { get }
    /// Read at each scrape, from any thread; must not block.
    func usage() -> BackendPoolSnapshot
}

public struct BackendPoolSnapshot: Sendable, Equatable {
    /// Connections lent out to a caller right now.
    public var inUse: Int
    /// Open connections waiting for a caller.
    public var idle: Int
    /// The most connections the pool opens.
    public var size: Int

    public init(inUse: Int, idle: Int, size: Int) {
        self.inUse = inUse
        self.idle = idle
        self.size = size
    }
}

/// `ozzi_backend_pool_connections{state="in_use"|"idle"}` and `ozzi_backend_pool_size`, by backend and pool.
public final class BackendPoolMetrics: MetricsCollector {
    private let pools = Mutex<[any BackendPoolUsage]>([])

    public init() {}

    /// Shows `pool` from now on; the host's binding factory adds each pool it opens.
    public func add(_ pool: any BackendPoolUsage) {
        pools.withLock { $0.append(pool) }
    }

    public func collect(into text: inout PrometheusText) async {
        let all = pools.withLock { $0 }.map { ($0.backend, $0.poolName, $0.usage()) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        text.family("ozzi_backend_pool_connections", .gauge, help: "Connections of a backend pool, in use or idle.")
        for (backend, pool, usage) in all {
            text.sample("ozzi_backend_pool_connections", [("backend", backend), ("pool", pool), ("state", "in_use")], Double(usage.inUse))
            text.sample("ozzi_backend_pool_connections", [("backend", backend), ("pool", pool), ("state", "idle")], Double(usage.idle))
        }
        text.family("ozzi_backend_pool_size", .gauge, help: "The most connections a backend pool opens.")
        for (backend, pool, usage) in all {
            text.sample("ozzi_backend_pool_size", [("backend", backend), ("pool", pool)], Double(usage.size))
        }
    }
}

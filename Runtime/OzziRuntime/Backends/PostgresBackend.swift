import Synchronization

/// The PostgreSQL server `[server.backends] postgres` names: each worker's SQL databases live in schemas
/// of their own on it, and the host keeps a small pool of its own for health checks.
final class PostgresBackend: Sendable {
    let url: String
    /// One pool per schema, shared by the bindings that live there (a worker's SQL, KV and bucket index).
    private let schemas = Mutex<[String: PostgresDatabase]>([:])
    /// Where each pool's use is shown (`/__ozzi/metrics`).
    private let pools: BackendPoolMetrics?
    /// The host's own connections (health, cluster-wide tables), apart from the workers' pools so a busy
    /// worker cannot starve a health check.
    let host: PostgresDatabase

    /// Connects now: a server that cannot be reached stops start-up here.
    init(url: String, pools: BackendPoolMetrics?) throws {
        self.url = url
        self.pools = pools
        host = try PostgresDatabase(url: url, connections: 2)
        pools?.add(host.poolUsage(named: "host"))
    }

    /// A worker's SQL binding: the schema named after the worker (`api`), or after the worker and the
    /// database when the names differ (`reports_archive`), as its SQLite file is named today.
    func database(worker: String, databaseName: String) throws -> PostgresDatabase {
        let schema = Self.schema(worker: worker, databaseName: databaseName)
        if let open = schemas.withLock({ $0[schema] }) { return open }
        let opened = try PostgresDatabase(url: url, schema: schema)
        return schemas.withLock { schemas in
            if let raced = schemas[schema] { return raced }
            schemas[schema] = opened
            pools?.add(opened.poolUsage(named: schema))
            return opened
        }
    }

    static func schema(worker: String, databaseName: String) -> String {
        databaseName == worker ? worker : worker + "_" + databaseName
    }

    var masked: String { PostgresURL.masked(url) }

    /// Closes every pool it opened: when the host stops.
    func close() {
        host.close()
        for database in schemas.withLock({ Array($0.values) }) { database.close() }
    }

    /// Whether a statement runs now (within the connect timeout when the server is away).
    func check() async -> BackendHealth {
        do {
            _ = try await host.prepare("SELECT 1").run()
            return BackendHealth(name: "postgres", url: masked, ok: true, error: nil)
        } catch {
            return BackendHealth(name: "postgres", url: masked, ok: false, error: "\(error)")
        }
    }
}

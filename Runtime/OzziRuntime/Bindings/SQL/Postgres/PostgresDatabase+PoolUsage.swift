extension PostgresDatabase {
    /// This database's connection pool as `/__ozzi/metrics` shows it, named `pool` (say `api/DB`).
    public func poolUsage(named pool: String) -> any BackendPoolUsage {
        PostgresPoolUsage(poolName: pool, database: self)
    }

    var connectionUsage: BackendPoolSnapshot { connections.usage }
}

private struct PostgresPoolUsage: BackendPoolUsage {
    let poolName: String
    let database: PostgresDatabase
    var backend: String { "postgres" }
    func usage() -> BackendPoolSnapshot { database.connectionUsage }
}

import Synchronization

/// Cron minutes claimed in a PostgreSQL database that several hosts share: a row per trigger and minute
/// in `ozzi_cluster.cron_claims`, which only the first host to insert it gets. Each host sweeps rows a
/// day old at most once an hour, after a claim it won.
public final class PostgresCronClaims: CronClaims {
    private let database: PostgresDatabase
    private static let keptSeconds: Int64 = 86_400
    /// The minute of this host's last sweep.
    private let swept = Mutex<Int64>(0)

    /// Connects to `url` (an unreachable server is an error naming it, password masked) and creates the
    /// table when missing.
    public init(postgres url: String) throws {
        database = try PostgresDatabase(url: url, schema: "ozzi_cluster", connections: 2)
        // Hosts starting together take turns (the schema lock), as two `CREATE TABLE IF NOT EXISTS` may clash.
        _ = try database.transactionNow { tx in
            try tx.run("""
                CREATE TABLE IF NOT EXISTS cron_claims (worker TEXT NOT NULL, cron TEXT NOT NULL, minute BIGINT NOT NULL,
                  PRIMARY KEY (worker, cron, minute))
                """)
            try tx.run("CREATE INDEX IF NOT EXISTS cron_claims_minute ON cron_claims (minute)")
        }
    }

    /// Closes its connections: when the host stops.
    public func close() {
        database.close()
    }

    public func claim(worker: String, cron: String, minute: Int64) async throws -> Bool {
        let claimed = try await database.prepare("""
            INSERT INTO cron_claims (worker, cron, minute) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING minute
            """).bind(worker, cron, minute).first() != nil
        if claimed, swept.withLock({ last in
            guard minute - last >= 3600 else { return false }
            last = minute
            return true
        }) {
            // The minute is won whether or not the sweep works: a failed one is retried an hour later.
            _ = try? await database.prepare("DELETE FROM cron_claims WHERE minute < ?").bind(minute - Self.keptSeconds).run()
        }
        return claimed
    }
}

/// KV on the shared PostgreSQL, for many hosts: one table (`ozzi_kv`, apart from the worker's own
/// tables) in the worker's schema holds every namespace of the worker, a row per key.
///
/// As on SQLite, an expired key is filtered out of every read by the namespace's clock at once and
/// deleted by `sweepExpired` later. Keys are `COLLATE "C"`, so they list in byte order as on SQLite,
/// whatever the database's locale.
public final class PostgresKV: KVNamespace {
    private let database: PostgresDatabase
    private let namespace: String
    private let clock: any WallClock

    /// A namespace in `database`'s schema; `namespace` names it among the worker's (the binding's id).
    /// Creates the table when missing, under the schema's lock, so hosts starting together do not race.
    public init(database: PostgresDatabase, namespace: String, clock: any WallClock = SystemClock()) throws {
        self.database = database
        self.namespace = namespace
        self.clock = clock
        _ = try database.transactionNow { tx in
            try tx.run("""
                CREATE TABLE IF NOT EXISTS ozzi_kv (
                    namespace TEXT NOT NULL, key TEXT COLLATE "C" NOT NULL, value BYTEA NOT NULL, metadata TEXT, expiration BIGINT,
                    PRIMARY KEY (namespace, key))
                """)
            try tx.run("CREATE INDEX IF NOT EXISTS ozzi_kv_expiration ON ozzi_kv (namespace, expiration) WHERE expiration IS NOT NULL")
        }
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVWrite.check(key: key)
        let row = try await database.prepare("""
            SELECT value, metadata, expiration FROM ozzi_kv WHERE namespace = ? AND key = ? AND (expiration IS NULL OR expiration > ?)
            """).bind(namespace, key, clock.seconds).first()
        guard let row else { return nil }
        return KVEntry(value: row.blob("value") ?? [], metadata: KVWrite.metadata(row.text("metadata")), expiration: row.integer("expiration"))
    }

    public func put(_ key: String, _ value: [UInt8], options: KVPutOptions) async throws {
        let write = try KVWrite(key, value, options: options, now: clock.seconds)
        try await database.prepare("""
            INSERT INTO ozzi_kv (namespace, key, value, metadata, expiration) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration
            """).bind(namespace, write.key, write.value, write.metadata, write.expiration).run()
    }

    public func delete(_ key: String) async throws {
        try KVWrite.check(key: key)
        try await database.prepare("DELETE FROM ozzi_kv WHERE namespace = ? AND key = ?").bind(namespace, key).run()
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        let query = try KVListQuery(options)
        let rows = try await database.prepare("""
            SELECT key, metadata, expiration FROM ozzi_kv
            WHERE namespace = ? AND key > ? AND key >= ? AND starts_with(key, ?) AND (expiration IS NULL OR expiration > ?)
            ORDER BY key LIMIT ?
            """).bind(namespace, query.after, query.prefix, query.prefix, clock.seconds, query.limit + 1).all()
        return query.page(rows.map(KVListResult.Key.init(row:)))
    }

    public func sweepExpired() async throws -> Int {
        try await database.prepare("DELETE FROM ozzi_kv WHERE namespace = ? AND expiration IS NOT NULL AND expiration <= ?")
            .bind(namespace, clock.seconds).run().changes
    }
}

/// KV on a SQLite file in the worker's data folder; expired keys are filtered on read and swept.
public final class SQLiteKV: KVNamespace {
    private let database: SQLiteDatabase
    private let clock: any WallClock

    public init(path: String, clock: any WallClock = SystemClock()) throws {
        database = try SQLiteDatabase(path: path)
        self.clock = clock
        _ = try database.transactionNow { tx in
            try tx.run("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, metadata TEXT, expiration INTEGER) WITHOUT ROWID")
            try tx.run("CREATE INDEX IF NOT EXISTS kv_expiration ON kv (expiration) WHERE expiration IS NOT NULL")
        }
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVWrite.check(key: key)
        let row = try await database.prepare("SELECT value, metadata, expiration FROM kv WHERE key = ? AND (expiration IS NULL OR expiration > ?)")
            .bind(key, clock.seconds).first()
        guard let row else { return nil }
        return KVEntry(value: row.blob("value") ?? [], metadata: KVWrite.metadata(row.text("metadata")), expiration: row.integer("expiration"))
    }

    public func put(_ key: String, _ value: [UInt8], options: KVPutOptions) async throws {
        let write = try KVWrite(key, value, options: options, now: clock.seconds)
        try await database.prepare("""
            INSERT INTO kv (key, value, metadata, expiration) VALUES (?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration
            """).bind(write.key, write.value, write.metadata, write.expiration).run()
    }

    public func delete(_ key: String) async throws {
        try KVWrite.check(key: key)
        try await database.prepare("DELETE FROM kv WHERE key = ?").bind(key).run()
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        let query = try KVListQuery(options)
        let rows = try await database.prepare("""
            SELECT key, metadata, expiration FROM kv
            WHERE key > ? AND key >= ? AND substr(key, 1, ?) = ? AND (expiration IS NULL OR expiration > ?)
            ORDER BY key LIMIT ?
            """).bind(query.after, query.prefix, query.prefix.unicodeScalars.count, query.prefix, clock.seconds, query.limit + 1).all()
        return query.page(rows.map(KVListResult.Key.init(row:)))
    }

    public func sweepExpired() async throws -> Int {
        try await database.prepare("DELETE FROM kv WHERE expiration IS NOT NULL AND expiration <= ?").bind(clock.seconds).run().changes
    }
}

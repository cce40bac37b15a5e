import FoundationEssentials

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
        try Self.check(key: key)
        let row = try await database.prepare("SELECT value, metadata, expiration FROM kv WHERE key = ? AND (expiration IS NULL OR expiration > ?)")
            .bind(key, clock.seconds).first()
        guard let row else { return nil }
        return KVEntry(value: row.blob("value") ?? [], metadata: Self.metadata(row), expiration: row.integer("expiration"))
    }

    public func put(_ key: String, _ value: [UInt8], options: KVPutOptions) async throws {
        try Self.check(key: key)
        guard value.count <= KVError.maxValueBytes else { throw KVError.valueTooLarge(bytes: value.count) }
        let now = clock.seconds
        var expiration = options.expiration
        if let ttl = options.expirationTtl { expiration = now + ttl }
        if let expiration, expiration - now < KVError.minExpirationSeconds {
            throw KVError.expirationTooSoon(seconds: expiration - now)
        }
        var metadataText: String?
        if let metadata = options.metadata {
            let encoded = try JSONCoding.encoder().encode(metadata)
            guard encoded.count <= KVError.maxMetadataBytes else { throw KVError.metadataTooLarge(bytes: encoded.count) }
            metadataText = String(decoding: encoded, as: UTF8.self)
        }
        try await database.prepare("""
            INSERT INTO kv (key, value, metadata, expiration) VALUES (?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration
            """).bind(key, value, metadataText, expiration).run()
    }

    public func delete(_ key: String) async throws {
        try Self.check(key: key)
        try await database.prepare("DELETE FROM kv WHERE key = ?").bind(key).run()
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        guard (1...1000).contains(options.limit) else { throw KVError.limitOutOfRange(options.limit) }
        var after = ""
        if let cursor = options.cursor {
            guard let key = ListCursor.decode(cursor) else { throw KVError.invalidCursor }
            after = key
        }
        let prefix = options.prefix ?? ""
        let rows = try await database.prepare("""
            SELECT key, metadata, expiration FROM kv
            WHERE key > ? AND key >= ? AND substr(key, 1, ?) = ? AND (expiration IS NULL OR expiration > ?)
            ORDER BY key LIMIT ?
            """).bind(after, prefix, prefix.unicodeScalars.count, prefix, clock.seconds, options.limit + 1).all()
        let page = rows.prefix(options.limit)
        let keys = page.map { KVListResult.Key(name: $0.text("key") ?? "", expiration: $0.integer("expiration"), metadata: Self.metadata($0)) }
        let complete = rows.count <= options.limit
        return KVListResult(keys: keys, listComplete: complete,
                            cursor: complete ? nil : keys.last.map { ListCursor.encode(after: $0.name) })
    }

    public func sweepExpired() async throws -> Int {
        try await database.prepare("DELETE FROM kv WHERE expiration IS NOT NULL AND expiration <= ?").bind(clock.seconds).run().changes
    }

    private static func check(key: String) throws {
        let bytes = key.utf8.count
        guard bytes > 0 else { throw KVError.emptyKey }
        guard bytes <= KVError.maxKeyBytes else { throw KVError.keyTooLong(bytes: bytes) }
    }

    private static func metadata(_ row: SQLRow) -> JSONValue? {
        guard let text = row.text("metadata") else { return nil }
        return try? JSONCoding.decoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

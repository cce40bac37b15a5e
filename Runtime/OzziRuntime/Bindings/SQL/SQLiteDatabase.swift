import Synchronization

/// The embedded SQL binding: one SQLite file in WAL mode, one writer connection and a pool of read-only
/// connections, every call on the blocking pool so no event loop waits on disk.
///
/// Reads go to a reader connection, so concurrent readers never block each other or the writer.
public final class SQLiteDatabase: SQLBlockingDatabase {
    public let path: String
    public var dialect: SQLDialect { .sqlite }
    private let writer: Exclusive<SQLiteConnection>
    private let readers = Mutex<[SQLiteConnection]>([])
    private let pool: BlockingPool

    public init(path: String, pool: BlockingPool = .shared) throws {
        self.path = path
        self.pool = pool
        writer = Exclusive(try SQLiteConnection(path: path, readOnly: false))
    }

    public func execute(_ sql: String, _ values: [SQLValue]) async throws -> SQLResult {
        try await pool.run { [self] in try executeNow(sql, values) }
    }

    /// Runs a statement on the calling thread (already off the loop).
    func executeNow(_ sql: String, _ values: [SQLValue]) throws -> SQLResult {
        if path != ":memory:", let reader = takeReader() {
            defer { returnReader(reader) }
            if try reader.isReadOnly(sql) { return try reader.run(sql, values) }
        }
        return try writer.with { try $0.run(sql, values) }
    }

    public func batch(_ statements: [SQLStatement]) async throws -> [SQLResult] {
        try await pool.run { [self] in
            try writer.with { connection in
                try connection.inTransaction { try statements.map { try connection.run($0.sql, $0.values) } }
            }
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLTransaction) throws -> T) async throws -> T {
        try await pool.run { [self] in try transactionNow(body) }
    }

    /// A write transaction on the calling thread (already off the loop).
    func transactionNow<T>(_ body: (SQLTransaction) throws -> T) throws -> T {
        try writer.with { connection in
            try connection.inTransaction { try body(SQLTransaction(connection: connection, dialect: .sqlite)) }
        }
    }

    private func takeReader() -> SQLiteConnection? {
        if let reader = readers.withLock({ $0.popLast() }) { return reader }
        return try? SQLiteConnection(path: path, readOnly: true)
    }

    private func returnReader(_ reader: SQLiteConnection) {
        readers.withLock { $0.append(reader) }
    }
}

/// The shared SQL binding: a PostgreSQL database through libpq, each worker in its own schema, for many
/// hosts to share.
///
/// libpq's calls block, so every one runs on the blocking pool as SQLite's do, keeping the event loops
/// free. The alternative, libpq's non-blocking API driven by `PQsocket` under a `uv_poll` on the loop,
/// saves the thread hop but spreads each query over loop callbacks; measuring both is a later step.
///
/// Where it differs from `SQLiteDatabase`: `SQLResult.lastInsertRowID` is always 0 (PostgreSQL has no
/// rowid; write `INSERT ... RETURNING id`, which both engines run); `changes` is the count PostgreSQL
/// reports for the command (`PQcmdTuples`).
public final class PostgresDatabase: SQLBlockingDatabase {
    public let schema: String?
    public var dialect: SQLDialect { .postgres }
    let connections: PostgresConnectionPool
    private let pool: BlockingPool

    /// Connects to `url` (`postgresql://user:password@host:port/database`); statements run in `schema`
    /// (created when missing) when one is given. Opens one connection at once, so an unreachable server
    /// is an error here, naming the URL with its password masked.
    public init(url: String, schema: String? = nil, connections: Int = 4, pool: BlockingPool = .shared) throws {
        self.schema = schema
        self.connections = PostgresConnectionPool(url: url, schema: schema, size: connections)
        self.pool = pool
        try self.connections.warmUp()
    }

    /// Closes its connections (see `PostgresConnectionPool.close`).
    public func close() {
        connections.close()
    }

    public func execute(_ sql: String, _ values: [SQLValue]) async throws -> SQLResult {
        try await pool.run { [self] in try executeNow(sql, values) }
    }

    func executeNow(_ sql: String, _ values: [SQLValue]) throws -> SQLResult {
        try connections.with { try $0.run(sql, values) }
    }

    public func batch(_ statements: [SQLStatement]) async throws -> [SQLResult] {
        try await pool.run { [self] in
            try connections.with { connection in
                try inTransaction(connection, serialized: false) { try statements.map { try connection.run($0.sql, $0.values) } }
            }
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLTransaction) throws -> T) async throws -> T {
        try await pool.run { [self] in try transactionNow(body) }
    }

    func transactionNow<T>(_ body: (SQLTransaction) throws -> T) throws -> T {
        try connections.with { connection in
            try inTransaction(connection, serialized: true) { try body(SQLTransaction(connection: connection, dialect: .postgres)) }
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back if it throws.
    ///
    /// A `serialized` transaction first takes a lock on the schema, so transactions that read then write
    /// run one after another as SQLite's single writer runs them: under READ COMMITTED two of them could
    /// read the same row and both write, one update lost. (SERIALIZABLE with retries lets them overlap; it
    /// needs bodies that may run twice.)
    private func inTransaction<T>(_ connection: PostgresConnection, serialized: Bool, _ body: () throws -> T) throws -> T {
        try connection.execute("BEGIN")
        do {
            if serialized { _ = try connection.run("SELECT pg_advisory_xact_lock(hashtext(?))", [.text("ozzi:" + (schema ?? ""))]) }
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            if connection.isOpen { try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}

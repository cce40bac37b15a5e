/// The SQL binding (D1-like): prepare, bind, then `all`, `first` or `run`; `batch` runs several
/// statements in one transaction; `transaction` gives read-then-write logic one transaction.
///
/// Statements use the SQL that SQLite and PostgreSQL share (`ON CONFLICT`, `RETURNING`, CTEs), with a
/// fragment from `dialect` where the engines spell a thing differently.
public protocol SQLDatabase: Sendable {
    /// The engine, for the few fragments written per engine (see `SQLDialect`).
    var dialect: SQLDialect { get }
    /// Runs one statement.
    func execute(_ sql: String, _ values: [SQLValue]) async throws -> SQLResult
    /// Runs statements in order in one transaction; all or nothing.
    func batch(_ statements: [SQLStatement]) async throws -> [SQLResult]
    /// Runs `body` in one write transaction on a blocking-pool thread; throwing rolls it back.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLTransaction) throws -> T) async throws -> T
}

extension SQLDatabase {
    /// A statement to bind and run.
    public func prepare(_ sql: String) -> SQLStatement {
        SQLStatement(database: self, sql: sql, values: [])
    }
}

/// A prepared statement with its bound values.
public struct SQLStatement: Sendable {
    let database: any SQLDatabase
    public let sql: String
    public private(set) var values: [SQLValue]

    /// Binds positional `?` parameters, replacing earlier bindings.
    public func bind(_ values: any SQLBindable...) -> SQLStatement {
        bind(values)
    }

    public func bind(_ values: [any SQLBindable]) -> SQLStatement {
        var copy = self
        copy.values = values.map(\.sqlValue)
        return copy
    }

    public func all() async throws -> [SQLRow] {
        try await database.execute(sql, values).rows
    }

    /// The rows as records (see `SQLRecord`).
    public func all<Record: SQLRecord>(_ type: Record.Type) async throws -> [Record] {
        try SQLRecordDecoder.records(type, try await all(), sql: sql)
    }

    public func first() async throws -> SQLRow? {
        try await all().first
    }

    public func first<Record: SQLRecord>(_ type: Record.Type) async throws -> Record? {
        try SQLRecordDecoder.records(type, try await all().prefix(1), sql: sql).first
    }

    @discardableResult
    public func run() async throws -> SQLResult {
        try await database.execute(sql, values)
    }
}

/// Synchronous access inside `SQLDatabase.transaction`, on the pool thread that holds the writer.
public final class SQLTransaction {
    let connection: any SQLConnection
    /// The engine, for the few fragments written per engine (see `SQLDialect`).
    public let dialect: SQLDialect

    init(connection: any SQLConnection, dialect: SQLDialect) {
        self.connection = connection
        self.dialect = dialect
    }

    @discardableResult
    public func run(_ sql: String, _ values: any SQLBindable...) throws -> SQLResult {
        try connection.run(sql, values.map(\.sqlValue))
    }

    public func all(_ sql: String, _ values: any SQLBindable...) throws -> [SQLRow] {
        try connection.run(sql, values.map(\.sqlValue)).rows
    }

    /// The rows as records (see `SQLRecord`).
    public func all<Record: SQLRecord>(_ type: Record.Type, _ sql: String, _ values: any SQLBindable...) throws -> [Record] {
        try SQLRecordDecoder.records(type, try connection.run(sql, values.map(\.sqlValue)).rows, sql: sql)
    }

    public func first<Record: SQLRecord>(_ type: Record.Type, _ sql: String, _ values: any SQLBindable...) throws -> Record? {
        try SQLRecordDecoder.records(type, try connection.run(sql, values.map(\.sqlValue)).rows.prefix(1), sql: sql).first
    }

    /// Runs a statement with an already-built value list (for generated SQL).
    @discardableResult
    public func execute(_ sql: String, _ values: [SQLValue]) throws -> SQLResult {
        try connection.run(sql, values)
    }

    /// Inserts `rows` (each a value per column of `columns`) with multi-row `VALUES` statements, `suffix`
    /// (e.g. `ON CONFLICT ... DO NOTHING`) after each. Returns the rows inserted.
    ///
    /// Bound values cost SQLite nothing to read, where a JSON array unpacked in SQL parses each element
    /// again for every column taken from it (`value ->> 'key'`): for a batch of messages, 12 µs a row of 30.
    /// Rows go in chunks of powers of two, so a few statements of each shape serve every batch size from
    /// the statement cache.
    @discardableResult
    public func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String = "") throws -> Int {
        guard !rows.isEmpty else { return 0 }
        // Under both engines' limits on bound values (SQLite 32,766, PostgreSQL 65,535).
        let most = max(1, min(128, 16_384 / max(1, columns.count)))
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var inserted = 0, start = 0
        while start < rows.count {
            var size = most
            while size > rows.count - start { size /= 2 }
            var values: [SQLValue] = []
            values.reserveCapacity(size * columns.count)
            for row in rows[start..<(start + size)] {
                precondition(row.count == columns.count, "a row of \(row.count) values for \(columns.count) columns")
                values.append(contentsOf: row)
            }
            let sql = head + Array(repeating: tuple, count: size).joined(separator: ", ") + (suffix.isEmpty ? "" : " " + suffix)
            inserted += try connection.run(sql, values).changes
            start += size
        }
        return inserted
    }
}

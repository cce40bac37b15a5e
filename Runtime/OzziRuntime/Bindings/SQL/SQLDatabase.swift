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
}

/// One engine connection, used by one thread at a time: what `SQLTransaction` and the migrations run on.
protocol SQLConnection: AnyObject {
    /// Runs one statement with positional `?` values; returns its rows and what it changed.
    func run(_ sql: String, _ values: [SQLValue]) throws -> SQLResult
    /// Runs SQL text that may hold several statements (migrations); no parameters.
    func execute(_ sql: String) throws
}

/// The synchronous side both engines share, for callers already off the event loop (migrations, the
/// bindings built on SQL tables).
protocol SQLBlockingDatabase: SQLDatabase {
    /// Runs one statement on the calling thread.
    func executeNow(_ sql: String, _ values: [SQLValue]) throws -> SQLResult
    /// Runs `body` in one write transaction on the calling thread; throwing rolls it back.
    func transactionNow<T>(_ body: (SQLTransaction) throws -> T) throws -> T
}

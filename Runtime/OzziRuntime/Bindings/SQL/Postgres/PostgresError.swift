import CSQLite

/// PostgreSQL's errors as `SQLError`s carrying the SQLite code that means the same, so a store tells a
/// duplicate from a missing parent the same way on either engine.
enum PostgresError {
    static func error(sqlState: String?, message: String, sql: String, connectionLost: Bool) -> SQLError {
        let code = sqliteCode(sqlState: sqlState, connectionLost: connectionLost)
        return SQLError(code: code & 0xFF, extendedCode: code, message: message, sql: sql, sqlState: sqlState ?? "08006")
    }

    /// The SQLite extended result code for a SQLSTATE.
    static func sqliteCode(sqlState: String?, connectionLost: Bool) -> Int32 {
        switch sqlState {
        // SQLITE_CONSTRAINT_UNIQUE, _FOREIGNKEY, _NOTNULL and _CHECK are macro expressions Swift does not import.
        case "23505": SQLITE_CONSTRAINT | (8 << 8)
        case "23503": SQLITE_CONSTRAINT | (3 << 8)
        case "23502": SQLITE_CONSTRAINT | (5 << 8)
        case "23514": SQLITE_CONSTRAINT | (1 << 8)
        case let state? where state.hasPrefix("23"): SQLITE_CONSTRAINT
        // Serialization failure, deadlock, lock not available: try again later, as SQLITE_BUSY says.
        case "40001", "40P01", "55P03": SQLITE_BUSY
        // Datatype mismatch, or text the column type cannot read.
        case "42804", "22P02": SQLITE_MISMATCH
        default: connectionLost ? SQLITE_IOERR : SQLITE_ERROR
        }
    }
}

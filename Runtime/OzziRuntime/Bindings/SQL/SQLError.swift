import CSQLite

/// A failed statement: SQLite's result code and message, and the SQL that failed; or a row that did not
/// fit the record read from it, with the column at fault.
///
/// PostgreSQL's errors come as the SQLite codes that mean the same (a unique violation is
/// SQLITE_CONSTRAINT_UNIQUE), so callers test `kind` and `isUniqueViolation` whatever the engine; the
/// SQLSTATE stays in `sqlState`.
public struct SQLError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// A UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL or CHECK constraint refused the write.
        case constraint
        /// The database stayed locked past the busy timeout.
        case busy
        /// A value did not fit: a row read into a record (a column missing, of another type, or NULL for a
        /// non-optional field), or a write SQLite refused as a datatype mismatch.
        case mismatch
        case other
    }

    public let code: Int32
    public let extendedCode: Int32
    public let message: String
    public let sql: String
    /// The column a `mismatch` is about, when it is about one.
    public var column: String? = nil
    /// PostgreSQL's SQLSTATE (`23505`), when PostgreSQL raised the error.
    public var sqlState: String? = nil

    public var kind: Kind {
        switch code {
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_MISMATCH: .mismatch
        default: .other
        }
    }

    /// A row that does not fit its record (SQLite's own code for a datatype mismatch).
    static func mismatch(column: String?, _ message: String, sql: String) -> SQLError {
        SQLError(code: SQLITE_MISMATCH, extendedCode: SQLITE_MISMATCH, message: message, sql: sql, column: column)
    }

    public var isConstraintViolation: Bool { kind == .constraint }

    /// True for UNIQUE and PRIMARY KEY violations: the row already exists (a 409 to a client).
    public var isUniqueViolation: Bool {
        // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY are macro expressions Swift does not import.
        extendedCode == SQLITE_CONSTRAINT | (8 << 8) || extendedCode == SQLITE_CONSTRAINT | (6 << 8)
    }

    public var description: String {
        if kind == .mismatch && sqlState == nil { return "\(message) — in: \(sql)" }
        if let sqlState { return "PostgreSQL error \(sqlState): \(message) — in: \(sql)" }
        return "SQLite error \(extendedCode): \(message) — in: \(sql)"
    }
}

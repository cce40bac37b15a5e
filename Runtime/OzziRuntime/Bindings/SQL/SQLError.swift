import CSQLite

/// A failed statement: SQLite's result code and message, and the SQL that failed.
public struct SQLError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// A UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL or CHECK constraint refused the write.
        case constraint
        /// The database stayed locked past the busy timeout.
        case busy
        case other
    }

    public let code: Int32
    public let extendedCode: Int32
    public let message: String
    public let sql: String

    public var kind: Kind {
        switch code {
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        default: .other
        }
    }

    public var isConstraintViolation: Bool { kind == .constraint }

    /// True for UNIQUE and PRIMARY KEY violations: the row already exists (a 409 to a client).
    public var isUniqueViolation: Bool {
        // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY are macro expressions Swift does not import.
        extendedCode == SQLITE_CONSTRAINT | (8 << 8) || extendedCode == SQLITE_CONSTRAINT | (6 << 8)
    }

    public var description: String { "SQLite error \(extendedCode): \(message) — in: \(sql)" }
}

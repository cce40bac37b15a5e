/// One result row: column names and values, in select order. A row that makes a value is read as an
/// `SQLRecord`; the optional accessors here are for single figures (a count, an id).
public struct SQLRow: Sendable, Equatable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(column: String) -> SQLValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    public func integer(_ column: String) -> Int64? {
        if case .integer(let v) = self[column] { return v }
        return nil
    }

    /// A number column (PostgreSQL's `DOUBLE PRECISION` holding 1 comes back as 1.0, SQLite's as 1).
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }

    public func text(_ column: String) -> String? {
        if case .text(let v) = self[column] { return v }
        return nil
    }

    public func blob(_ column: String) -> [UInt8]? {
        switch self[column] {
        case .blob(let v): v
        case .text(let t): Array(t.utf8)
        default: nil
        }
    }
}

/// What a write statement did.
public struct SQLResult: Sendable, Equatable {
    public let changes: Int
    public let lastInsertRowID: Int64
    /// Rows a `RETURNING` clause produced.
    public let rows: [SQLRow]
}

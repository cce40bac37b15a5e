/// One row as a record's `init(row:)` reads it: each column by its case in `Columns`, found once per result
/// (see `SQLRecordDecoder`). Reading a column that is missing, of another type, or NULL for a non-optional
/// value throws an `SQLError` naming it.
public struct SQLRecordRow<Columns: SQLColumn> {
    let decoder: SQLRecordDecoder

    public func decode(_ type: String.Type, forKey column: Columns) throws -> String { try decoder.read(column.stringValue, type) { $0.string } }
    public func decode(_ type: Bool.Type, forKey column: Columns) throws -> Bool { try decoder.read(column.stringValue, type) { $0.bool } }
    public func decode(_ type: Int.Type, forKey column: Columns) throws -> Int { try decoder.read(column.stringValue, type) { $0.integer(type) } }
    public func decode(_ type: Int64.Type, forKey column: Columns) throws -> Int64 { try decoder.read(column.stringValue, type) { $0.integer(type) } }
    public func decode(_ type: Double.Type, forKey column: Columns) throws -> Double { try decoder.read(column.stringValue, type) { $0.double } }
    /// Any other type: a date, bytes, a JSON column, a raw-value enum (as a `Decodable` record reads them).
    public func decode<T: Decodable>(_ type: T.Type, forKey column: Columns) throws -> T { try decoder.readValue(column.stringValue, type) }

    public func decodeIfPresent(_ type: String.Type, forKey column: Columns) throws -> String? {
        try decoder.readIfPresent(column.stringValue, type) { $0.string }
    }
    public func decodeIfPresent(_ type: Bool.Type, forKey column: Columns) throws -> Bool? { try decoder.readIfPresent(column.stringValue, type) { $0.bool } }
    public func decodeIfPresent(_ type: Int.Type, forKey column: Columns) throws -> Int? {
        try decoder.readIfPresent(column.stringValue, type) { $0.integer(type) }
    }
    public func decodeIfPresent(_ type: Int64.Type, forKey column: Columns) throws -> Int64? {
        try decoder.readIfPresent(column.stringValue, type) { $0.integer(type) }
    }
    public func decodeIfPresent(_ type: Double.Type, forKey column: Columns) throws -> Double? {
        try decoder.readIfPresent(column.stringValue, type) { $0.double }
    }
    public func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey column: Columns) throws -> T? {
        try decoder.readValueIfPresent(column.stringValue, type)
    }

    /// Whether the column is NULL (a left join's missing side); a missing column still throws.
    public func decodeNil(forKey column: Columns) throws -> Bool {
        if case .null = try decoder.peek(column.stringValue) { return true }
        return false
    }

    /// Another record read from the same row: a join's other side, or the record this one adds columns to.
    public func record<Other: SQLRecord>(_ type: Other.Type) throws -> Other {
        try Other(row: SQLRecordRow<Other.Columns>(decoder: decoder))
    }

    /// The same row read by other column names (another record's, to look before reading it).
    public func columns<Other: SQLColumn>(_ type: Other.Type) -> SQLRecordRow<Other> {
        SQLRecordRow<Other>(decoder: decoder)
    }
}

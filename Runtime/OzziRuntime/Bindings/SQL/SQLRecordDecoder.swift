import FoundationEssentials

/// Reads the rows of one result into records (and is the `Decoder` of `Decodable` ones), and throws an
/// `SQLError` naming the column when a row does not fit: a column the record reads is missing, holds another
/// type, or is NULL for a non-optional field.
///
/// Built once per result and reused for each row. A field finds its column by trying the one after the
/// column read last (records read in select order, so that is one string comparison per field), and only
/// otherwise by a name table built once; never by scanning the names for each field of each row.
/// Confined to the thread decoding the result.
final class SQLRecordDecoder: Decoder {
    let columns: [String]
    let sql: String
    /// Whether no name repeats: a repeated name means its leftmost column, which the table answers.
    private let distinct: Bool
    private var positions: [String: Int]?
    private(set) var values: [SQLValue] = []
    private var next = 0
    private var record: Any.Type = Void.self

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(columns: [String], sql: String) {
        self.columns = columns
        self.sql = sql
        distinct = Set(columns).count == columns.count
    }

    func decode<Record: SQLRecord>(_ type: Record.Type, _ row: SQLRow) throws -> Record {
        values = row.values
        next = 0
        record = type
        do {
            return try Record(row: SQLRecordRow(decoder: self))
        } catch let error as DecodingError {
            // Thrown by the record's own `init(from:)`, for a value it refused.
            throw unfit(error)
        }
    }

    /// `rows`, all of one result, as records.
    static func records<Record: SQLRecord>(_ type: Record.Type, _ rows: some Collection<SQLRow>, sql: String) throws -> [Record] {
        guard let first = rows.first else { return [] }
        let decoder = SQLRecordDecoder(columns: first.columns, sql: sql)
        var records: [Record] = []
        records.reserveCapacity(rows.count)
        for row in rows { records.append(try decoder.decode(type, row)) }
        return records
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(SQLRecordColumns<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SQLError.mismatch(column: nil, "\(record) asks for a list; a row is read by column name", sql: sql)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw SQLError.mismatch(column: nil, "\(record) asks for a single value; a row is read by column name", sql: sql)
    }

    // MARK: - Columns

    func contains(_ name: String) -> Bool {
        (try? index(of: name)) != nil
    }

    /// The value of `name`'s column, without moving on (for `decodeNil`).
    func peek(_ name: String) throws -> SQLValue {
        values[try index(of: name)]
    }

    /// Reads `name`'s column as a `T` that `convert` makes from its value.
    ///
    /// Inlined into each caller, where `T` is concrete: a generic call here cost a metadata lookup per field.
    @inline(__always)
    func read<T>(_ name: String, _ type: T.Type, _ convert: (SQLValue) -> T?) throws -> T {
        let index = try take(name)
        guard let result = convert(values[index]) else { throw mismatch(index, type) }
        return result
    }

    /// Reads `name`'s column as an optional: NULL is nil, a missing column is still an error.
    @inline(__always)
    func readIfPresent<T>(_ name: String, _ type: T.Type, _ convert: (SQLValue) -> T?) throws -> T? {
        let index = try take(name)
        if case .null = values[index] { return nil }
        guard let result = convert(values[index]) else { throw mismatch(index, type) }
        return result
    }

    func readValue<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
        try value(as: type, column: try take(name))
    }

    func readValueIfPresent<T: Decodable>(_ name: String, _ type: T.Type) throws -> T? {
        let index = try take(name)
        if case .null = values[index] { return nil }
        return try value(as: type, column: index)
    }

    /// A column as a type other than the primitives: types with a storage of their own, then anything built
    /// on one value (a raw-value enum); a type that asks for a container reads the column as JSON.
    func value<T: Decodable>(as type: T.Type, column: Int) throws -> T {
        let value = values[column]
        if type == JSONValue.self { return try convert(column, JSONValue.self) { $0.json } as! T }
        if type == Date.self { return try convert(column, Date.self) { $0.date } as! T }
        if type == [UInt8].self { return try convert(column, [UInt8].self) { $0.bytes } as! T }
        if type == Data.self { return try convert(column, Data.self) { $0.bytes.map { Data($0) } } as! T }
        do {
            return try T(from: SQLColumnDecoder(decoder: self, column: column))
        } catch is SQLColumnDecoder.Structured {
            guard let bytes = value.bytes else { throw mismatch(column, type) }
            do {
                return try JSONCoding.decoder().decode(type, from: Data(bytes))
            } catch {
                throw SQLError.mismatch(column: columns[column], "column '\(columns[column])' holds no JSON \(type) that \(record) can read", sql: sql)
            }
        } catch is DecodingError {
            throw SQLError.mismatch(column: columns[column], "column '\(columns[column])' holds \(value.storageClass) that is not a \(type), which \(record) needs",
                                    sql: sql)
        }
    }

    /// A column's value as a `T` that `convert` makes from it.
    @inline(__always)
    func convert<T>(_ column: Int, _ type: T.Type, _ convert: (SQLValue) -> T?) throws -> T {
        guard let result = convert(values[column]) else { throw mismatch(column, type) }
        return result
    }

    private func index(of name: String) throws -> Int {
        if distinct, next < columns.count, columns[next] == name { return next }
        if positions == nil {
            positions = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { leftmost, _ in leftmost })
        }
        guard let index = positions![name] else {
            throw SQLError.mismatch(column: name, "\(record) reads column '\(name)', which the result lacks (it has \(columns.joined(separator: ", ")))",
                                    sql: sql)
        }
        return index
    }

    private func take(_ name: String) throws -> Int {
        let index = try index(of: name)
        next = index + 1
        return index
    }

    // MARK: - Errors

    private func mismatch(_ column: Int, _ type: Any.Type) -> SQLError {
        let name = columns[column], value = values[column]
        if case .null = value {
            return SQLError.mismatch(column: name, "column '\(name)' is NULL where \(record) needs a \(type)", sql: sql)
        }
        return SQLError.mismatch(column: name, "column '\(name)' holds \(value.storageClass) where \(record) needs a \(type)", sql: sql)
    }

    private func unfit(_ error: DecodingError) -> SQLError {
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): c
        @unknown default: nil
        }
        let column = context?.codingPath.last?.stringValue
        let reason = context?.debugDescription ?? "\(error)"
        return SQLError.mismatch(column: column, "\(record) refused \(column.map { "column '\($0)'" } ?? "the row"): \(reason)", sql: sql)
    }
}

/// A record's view of a row: each key is a column name (see `SQLRecordDecoder`).
struct SQLRecordColumns<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: SQLRecordDecoder

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { decoder.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { decoder.contains(key.stringValue) }
    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try decoder.peek(key.stringValue) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.read(key.stringValue, type) { $0.bool } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.read(key.stringValue, type) { $0.string } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.read(key.stringValue, type) { $0.double } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.read(key.stringValue, type) { $0.double.map(Float.init) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.read(key.stringValue, type) { $0.integer(type) } }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.readValue(key.stringValue, type) }

    // Optionals: NULL is nil, but a column the record reads must still be there (the standard library's
    // versions would answer nil for a missing one).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decoder.readIfPresent(key.stringValue, type) { $0.bool } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decoder.readIfPresent(key.stringValue, type) { $0.string } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decoder.readIfPresent(key.stringValue, type) { $0.double } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decoder.readIfPresent(key.stringValue, type) { $0.double.map(Float.init) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decoder.readIfPresent(key.stringValue, type) { $0.integer(type) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decoder.readValueIfPresent(key.stringValue, type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SQLError.mismatch(column: key.stringValue, "column '\(key.stringValue)' is one value: read a JSON column as its own Decodable type",
                             sql: decoder.sql)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SQLError.mismatch(column: key.stringValue, "column '\(key.stringValue)' is one value: read a JSON column as its own Decodable type",
                             sql: decoder.sql)
    }

    /// The same row: a record built from another's columns and some of its own decodes both from it.
    func superDecoder() -> any Decoder { decoder }
    func superDecoder(forKey key: Key) -> any Decoder { decoder }
}

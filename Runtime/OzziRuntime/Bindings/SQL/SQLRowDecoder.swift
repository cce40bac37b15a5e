import FoundationEssentials

/// Decodes a row into a `Decodable` type by column name: numbers, text, blobs, booleans (0/1), dates
/// (ISO-8601 text or epoch seconds), and any other `Decodable` from a JSON text column.
enum SQLRowDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from row: SQLRow) throws -> T {
        try T(from: RowDecoder(row: row))
    }

    struct RowDecoder: Decoder {
        let row: SQLRow
        var codingPath: [CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(row: row))
        }

        func unkeyedContainer() throws -> UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed container"))
        }

        func singleValueContainer() throws -> SingleValueDecodingContainer {
            guard row.values.count == 1 else {
                throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a single value needs a one-column row"))
            }
            return Single(value: row.values[0], codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: SQLRow
        var codingPath: [CodingKey] = []
        var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.columns.contains(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool {
            (row[key.stringValue] ?? .null) == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let value = row[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no column '\(key.stringValue)'"))
            }
            return try Single(value: value, codingPath: codingPath + [key]).decode(type)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "nested containers decode from JSON columns"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "nested containers decode from JSON columns"))
        }

        func superDecoder() throws -> Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> Decoder { RowDecoder(row: row) }
    }

    struct Single: SingleValueDecodingContainer {
        let value: SQLValue
        var codingPath: [CodingKey]

        func decodeNil() -> Bool { value == .null }

        func mismatch<T>(_ type: T.Type) -> DecodingError {
            .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "column holds \(value)"))
        }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .integer(let v) = value else { throw mismatch(type) }
            return v != 0
        }

        func decode(_ type: String.Type) throws -> String {
            switch value {
            case .text(let v): return v
            case .integer(let v): return String(v)
            case .real(let v): return String(v)
            default: throw mismatch(type)
            }
        }

        func decode(_ type: Double.Type) throws -> Double {
            switch value {
            case .real(let v): return v
            case .integer(let v): return Double(v)
            default: throw mismatch(type)
            }
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

        func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            guard case .integer(let v) = value, let i = I(exactly: v) else { throw mismatch(type) }
            return i
        }

        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            // Keyed containers route every type through here; primitives first.
            switch type {
            case is String.Type: return try decode(String.self) as! T
            case is Bool.Type: return try decode(Bool.self) as! T
            case is Int.Type: return try decode(Int.self) as! T
            case is Int64.Type: return try decode(Int64.self) as! T
            case is Int32.Type: return try decode(Int32.self) as! T
            case is UInt.Type: return try decode(UInt.self) as! T
            case is UInt64.Type: return try decode(UInt64.self) as! T
            case is Double.Type: return try decode(Double.self) as! T
            case is Float.Type: return try decode(Float.self) as! T
            default: break
            }
            if type == Date.self {
                switch value {
                case .text(let text):
                    guard let date = SQLDate.parse(text) else { throw mismatch(type) }
                    return date as! T
                case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds)) as! T
                case .real(let seconds): return Date(timeIntervalSince1970: seconds) as! T
                default: throw mismatch(type)
                }
            }
            if type == [UInt8].self {
                switch value {
                case .blob(let bytes): return bytes as! T
                case .text(let text): return Array(text.utf8) as! T
                default: throw mismatch(type)
                }
            }
            if type == Data.self, case .blob(let bytes) = value { return Data(bytes) as! T }
            // Anything else is a JSON column (an object, an array), or a raw-value enum read as itself.
            switch value {
            case .text(let json):
                if let decoded = try? JSONCoding.decoder().decode(type, from: Data(json.utf8)) { return decoded }
                return try T(from: SingleDecoder(single: self))
            case .blob(let json): return try JSONCoding.decoder().decode(type, from: Data(json))
            default: return try T(from: SingleDecoder(single: self))
            }
        }
    }

    /// Lets a `Decodable` built on a single value (an enum with a raw value) read this column.
    struct SingleDecoder: Decoder {
        let single: Single
        var codingPath: [CodingKey] { single.codingPath }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> { throw single.mismatch(type) }
        func unkeyedContainer() throws -> UnkeyedDecodingContainer { throw single.mismatch([Any].self) }
        func singleValueContainer() throws -> SingleValueDecodingContainer { single }
    }
}

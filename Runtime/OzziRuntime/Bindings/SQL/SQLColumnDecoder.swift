/// One column's value as a `Decoder`, for types built on a single value (a raw-value enum reads a String
/// or an Int through it). A type that asks for a container instead is stored as JSON (see `Structured`).
struct SQLColumnDecoder: Decoder, SingleValueDecodingContainer {
    /// Thrown when the type wants a keyed or unkeyed container: its column holds a JSON document.
    struct Structured: Error {}

    // Two words, so the container fits an existential's inline buffer.
    let decoder: SQLRecordDecoder
    let column: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> { throw Structured() }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Structured() }
    func singleValueContainer() -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .null = decoder.values[column] { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decoder.convert(column, type) { $0.bool } }
    func decode(_ type: String.Type) throws -> String { try decoder.convert(column, type) { $0.string } }
    func decode(_ type: Double.Type) throws -> Double { try decoder.convert(column, type) { $0.double } }
    func decode(_ type: Float.Type) throws -> Float { try decoder.convert(column, type) { $0.double.map(Float.init) } }
    func decode(_ type: Int.Type) throws -> Int { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.convert(column, type) { $0.integer(type) } }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(as: type, column: column) }
}

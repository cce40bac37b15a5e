import FoundationEssentials

/// Encodes any `Encodable` to JSON directly, for response bodies: several times faster than
/// Foundation's `JSONEncoder`, which dominated small API responses. The output is the same as
/// `JSONCoding.encoder()`'s: keys sorted, dates ISO-8601 UTC, `Data` base64.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder.value(value, codingPath: [])
    }

    /// The JSON text, written straight from the encoded containers (no intermediate dictionaries).
    public static func encodeBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        switch value {
        case let v as JSONValue:
            v.write(to: &out)
        default:
            let state = EncodingState()
            try value.encode(to: ValueEncoder(state: state, codingPath: []))
            state.write(to: &out)
        }
        return out
    }

    /// A leaf for primitives, else the nested containers the value fills (written without conversion).
    static func slot<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws -> Slot {
        // Exact type checks first: cheaper than the dynamic casts below, and these are most values.
        if T.self == String.self { return .value(.string(unsafeBitCast(value, to: String.self))) }
        if T.self == Bool.self { return .value(.bool(unsafeBitCast(value, to: Bool.self))) }
        if T.self == Int.self { return .value(.number(Double(unsafeBitCast(value, to: Int.self)))) }
        if T.self == Optional<String>.self, let text = unsafeBitCast(value, to: Optional<String>.self) { return .value(.string(text)) }
        if T.self == Double.self { return .value(.number(unsafeBitCast(value, to: Double.self))) }
        if T.self == Int64.self { return .value(.number(Double(unsafeBitCast(value, to: Int64.self)))) }
        if T.self == JSONValue.self { return .value(unsafeBitCast(value, to: JSONValue.self)) }
        if T.self == Date.self { return .value(.string(unsafeBitCast(value, to: Date.self).formatted(Date.ISO8601FormatStyle()))) }
        if T.self != Data.self {
            let state = EncodingState()
            try value.encode(to: ValueEncoder(state: state, codingPath: codingPath))
            return .state(state)
        }
        switch value {
        case let v as String: return .value(.string(v))
        case let v as Int: return .value(.number(Double(v)))
        case let v as Bool: return .value(.bool(v))
        case let v as Double: return .value(.number(v))
        case let v as Int64: return .value(.number(Double(v)))
        case let v as JSONValue: return .value(v)
        case let v as Date: return .value(.string(v.formatted(Date.ISO8601FormatStyle())))
        case let v as Data: return .value(.string(v.base64EncodedString()))
        default:
            let state = EncodingState()
            try value.encode(to: ValueEncoder(state: state, codingPath: codingPath))
            return .state(state)
        }
    }

    static func value<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws -> JSONValue {
        switch value {
        case let v as String: return .string(v)
        case let v as Int: return .number(Double(v))
        case let v as Bool: return .bool(v)
        case let v as Double: return .number(v)
        case let v as Int64: return .number(Double(v))
        case let v as JSONValue: return v
        case let v as Date: return .string(v.formatted(Date.ISO8601FormatStyle()))
        case let v as Data: return .string(v.base64EncodedString())
        default:
            let state = EncodingState()
            try value.encode(to: ValueEncoder(state: state, codingPath: codingPath))
            return state.json
        }
    }
}

/// What one encoder call produced: a single value, an object or an array being filled.
/// Encoder state lives for one `encode` call on one thread, so its stored properties skip dynamic
/// exclusivity checks (`@exclusivity(unchecked)`).
final class EncodingState {
    enum Content {
        case empty
        case value(JSONValue)
        case object(ObjectBox)
        case array(ArrayBox)
    }

    @exclusivity(unchecked) var content = Content.empty

    var json: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let v): v
        case .object(let box): box.json
        case .array(let box): box.json
        }
    }

    func write(to out: inout [UInt8]) {
        switch content {
        case .empty: out.append(contentsOf: "{}".utf8)
        case .value(let v): v.write(to: &out)
        case .object(let box): box.write(to: &out)
        case .array(let box): box.write(to: &out)
        }
    }
}

/// A slot in an object or array: a finished value, or a nested container still being filled.
enum Slot {
    case value(JSONValue)
    case state(EncodingState)

    var json: JSONValue {
        switch self {
        case .value(let v): v
        case .state(let s): s.json
        }
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .value(let v): v.write(to: &out)
        case .state(let s): s.write(to: &out)
        }
    }
}

/// An object's fields in encoding order; sorted (a key set twice keeps its last value) when written.
final class ObjectBox {
    @exclusivity(unchecked) var fields: [(key: String, slot: Slot)] = []

    func set(_ key: String, _ slot: Slot) {
        fields.append((key, slot))
    }

    /// Sorts the fields by key in place (stable insertion sort: objects are small), then drops all but
    /// the last value of a key set twice.
    private func sortFields() {
        var i = 1
        while i < fields.count {
            let field = fields[i]
            var j = i - 1
            // Byte order (the same as String order for the ASCII keys of API models), and much cheaper.
            while j >= 0, field.key.utf8.lexicographicallyPrecedes(fields[j].key.utf8) {
                fields[j + 1] = fields[j]
                j -= 1
            }
            fields[j + 1] = field
            i += 1
        }
        var write = 0
        for read in fields.indices {
            if write > 0, fields[write - 1].key == fields[read].key {
                fields[write - 1] = fields[read]
            } else {
                fields[write] = fields[read]
                write += 1
            }
        }
        fields.removeLast(fields.count - write)
    }

    var json: JSONValue {
        sortFields()
        return .object(Dictionary(fields.map { ($0.key, $0.slot.json) }, uniquingKeysWith: { $1 }))
    }

    func write(to out: inout [UInt8]) {
        sortFields()
        out.append(UInt8(ascii: "{"))
        var first = true
        for field in fields {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.writeString(field.key, to: &out)
            out.append(UInt8(ascii: ":"))
            field.slot.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

final class ArrayBox {
    @exclusivity(unchecked) var items: [Slot] = []
    var json: JSONValue { .array(items.map(\.json)) }

    func write(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            item.write(to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

struct ValueEncoder: Encoder {
    let state: EncodingState
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = state.content {
            box = existing
        } else {
            box = ObjectBox()
            state.content = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = state.content {
            box = existing
        } else {
            box = ArrayBox()
            state.content = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        SingleContainer(state: state, codingPath: codingPath)
    }
}

struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    var codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.set(key.stringValue, .value(.number(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .value(.number(Double(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, .value(.number(Double(value)))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try JSONValueEncoder.slot(value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let state = EncodingState()
        box.set(key.stringValue, .state(state))
        return ValueEncoder(state: state, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let state = EncodingState()
        box.set(key.stringValue, .state(state))
        return ValueEncoder(state: state, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        let state = EncodingState()
        box.set(key.stringValue, .state(state))
        return ValueEncoder(state: state, codingPath: codingPath + [key])
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    var codingPath: [CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.value(.null)) }
    mutating func encode(_ value: String) throws { box.items.append(.value(.string(value))) }
    mutating func encode(_ value: Bool) throws { box.items.append(.value(.bool(value))) }
    mutating func encode(_ value: Int) throws { box.items.append(.value(.number(Double(value)))) }
    mutating func encode(_ value: Double) throws { box.items.append(.value(.number(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try JSONValueEncoder.slot(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let state = EncodingState()
        box.items.append(.state(state))
        return ValueEncoder(state: state, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let state = EncodingState()
        box.items.append(.state(state))
        return ValueEncoder(state: state, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let state = EncodingState()
        box.items.append(.state(state))
        return ValueEncoder(state: state, codingPath: codingPath)
    }
}

struct SingleContainer: SingleValueEncodingContainer {
    let state: EncodingState
    var codingPath: [CodingKey]

    mutating func encodeNil() throws { state.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { state.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { state.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { state.content = .value(.number(value)) }
    mutating func encode(_ value: Int) throws { state.content = .value(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        switch try JSONValueEncoder.slot(value, codingPath: codingPath) {
        case .value(let v): state.content = .value(v)
        case .state(let inner): state.content = inner.content
        }
    }
}

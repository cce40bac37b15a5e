/// An ordered list of header fields with case-insensitive lookup, as they came off the wire.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value }
        set {
            remove(name)
            if let newValue { fields.append((name, newValue)) }
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// True when a comma-separated header (Connection, Expect) holds `token`, ignoring case.
    public func hasToken(_ token: String, in name: String) -> Bool {
        fields.contains { field in
            field.name.equalsIgnoringASCIICase(name)
                && field.value.split(separator: ",").contains { $0.trimmingASCIISpaces().equalsIgnoringASCIICase(token) }
        }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

extension StringProtocol {
    /// ASCII case-insensitive comparison; header names and tokens are ASCII by definition.
    public func equalsIgnoringASCIICase<Other: StringProtocol>(_ other: Other) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let fast = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in ASCII.equalFolding(a, b) }
        }
        if let fast, let result = fast { return result }
        return zip(utf8, other.utf8).allSatisfy(ASCII.equalFolding)
    }

    public func trimmingASCIISpaces() -> Substring {
        let s = Substring(self)
        let utf8 = s.utf8
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 }
        let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
        let end = utf8.lastIndex { !isSpace($0) }.map { utf8.index(after: $0) } ?? start
        return Substring(utf8[start..<Swift.max(start, end)])
    }
}

/// Byte-level ASCII helpers for the request hot path.
enum ASCII {
    static func equalFolding(_ x: UInt8, _ y: UInt8) -> Bool {
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A)
    }

    static func equalFolding(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where !equalFolding(a[i], b[i]) { return false }
        return true
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isLetterOrDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    /// `text` in upper case, without allocating when it already is (as methods from the parser are).
    static func uppercased(_ text: String) -> String {
        text.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? text.uppercased() : text
    }
}

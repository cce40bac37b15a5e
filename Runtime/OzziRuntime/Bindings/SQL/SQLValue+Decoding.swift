import FoundationEssentials

/// What a record's field may read from a value: each answers nil when the value cannot be that type.
extension SQLValue {
    var string: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// 0 is false, any other integer true (SQLite has no boolean).
    var bool: Bool? {
        if case .integer(let v) = self { return v != 0 }
        return nil
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) -> I? {
        if case .integer(let v) = self { return I(exactly: v) }
        return nil
    }

    var double: Double? {
        switch self {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }

    /// A blob, or text as its UTF-8 bytes.
    var bytes: [UInt8]? {
        switch self {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }

    /// ISO-8601 text (as `Date.sqlValue` writes it) or epoch seconds.
    var date: Date? {
        switch self {
        case .text(let text): SQLDate.parse(text)
        case .integer(let seconds): Date(timeIntervalSince1970: Double(seconds))
        case .real(let seconds): Date(timeIntervalSince1970: seconds)
        default: nil
        }
    }

    /// A JSON column's document, from text or a blob.
    var json: JSONValue? {
        switch self {
        case .text(let text): try? JSONValue(jsonBytes: Array(text.utf8))
        case .blob(let bytes): try? JSONValue(jsonBytes: bytes)
        default: nil
        }
    }

    /// The storage class, for an error: never the value, which may be personal data.
    var storageClass: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real"
        case .text: "text"
        case .blob: "a blob"
        }
    }
}

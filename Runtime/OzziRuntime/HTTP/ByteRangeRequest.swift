/// A request's `Range` header read against the size of what it asks for (RFC 9110 §14): one byte range
/// is served as `206`; a range past the end is `416`. Several ranges would need a multipart answer that
/// players never ask for, so they get the whole body, as the RFC lets a server do, and so does any
/// header that is not a `bytes` range.
public enum ByteRangeRequest: Equatable, Sendable {
    case whole
    /// Bytes `offset ..< offset + length` of the body.
    case partial(offset: Int, length: Int)
    case unsatisfiable

    public init(header: String?, size: Int) {
        guard let header, let unit = header.firstIndex(of: "="), header[..<unit].trimmingSpaces.lowercased() == "bytes" else {
            self = .whole
            return
        }
        let specs = header[header.index(after: unit)...].split(separator: ",")
        guard specs.count == 1, let dash = specs[0].firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = specs[0][..<dash].trimmingSpaces, last = specs[0][specs[0].index(after: dash)...].trimmingSpaces
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit), !(first.isEmpty && last.isEmpty) else {
            self = .whole
            return
        }
        if first.isEmpty {
            // The last N bytes; a suffix of zero selects nothing.
            let suffix = Int(last) ?? Int.max
            guard suffix > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            let length = min(suffix, size)
            self = .partial(offset: size - length, length: length)
            return
        }
        // Digits too long for an Int are beyond any object: treat them as past the end.
        guard let start = Int(first), start < size else {
            self = .unsatisfiable
            return
        }
        let end = last.isEmpty ? size - 1 : min(Int(last) ?? size - 1, size - 1)
        guard end >= start else {
            self = .whole  // "bytes=5-2" is not a valid range: ignored
            return
        }
        self = .partial(offset: start, length: end - start + 1)
    }

    /// `Content-Range` for this answer to a body of `size` bytes.
    public func contentRange(size: Int) -> String? {
        switch self {
        case .whole: nil
        case .partial(let offset, let length): "bytes \(offset)-\(offset + length - 1)/\(size)"
        case .unsatisfiable: "bytes */\(size)"
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

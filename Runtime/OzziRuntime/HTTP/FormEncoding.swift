/// `application/x-www-form-urlencoded` and query strings (RFC 3986 unreserved characters kept).
public enum FormEncoding {
    /// The pairs of a form body or query string, in order (a key may repeat), percent- and plus-decoded.
    public static func parse(_ text: String) -> [(String, String)] {
        Request.pairs(text).map { ($0.name, $0.value) }
    }

    /// Each key's first value, as `Request.queryParameter` reads one.
    public static func firstValues(_ text: String) -> [String: String] {
        firstValues(parse(text))
    }

    public static func firstValues(_ pairs: [(String, String)]) -> [String: String] {
        pairs.reduce(into: [:]) { values, pair in
            if values[pair.0] == nil { values[pair.0] = pair.1 }
        }
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if ASCIIUnreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static let ASCIIUnreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
}

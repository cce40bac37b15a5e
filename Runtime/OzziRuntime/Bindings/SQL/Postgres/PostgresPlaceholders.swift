/// SQLite's positional `?` parameters as PostgreSQL's `$1..$n`, so one statement text serves both engines.
///
/// A `?` inside a string literal ('...', E'...', $tag$...$tag$), a quoted identifier or a comment is
/// text, not a parameter, and stays as it is.
enum PostgresPlaceholders {
    /// The statement with numbered parameters, and how many it has.
    static func translate(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var count = 0
        var i = 0
        func copy(until end: Int) {
            let stop = min(end, bytes.count)
            out.append(contentsOf: bytes[i..<stop])
            i = stop
        }
        while i < bytes.count {
            let byte = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            switch byte {
            case UInt8(ascii: "?"):
                count += 1
                out.append(contentsOf: Array("$\(count)".utf8))
                i += 1
            case UInt8(ascii: "'"):
                // E'...' strings escape with backslashes; standard ones only by doubling the quote.
                let escapes = i > 0 && (bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e"))
                copy(until: quoted(bytes, from: i, quote: UInt8(ascii: "'"), backslashEscapes: escapes))
            case UInt8(ascii: "\""):
                copy(until: quoted(bytes, from: i, quote: UInt8(ascii: "\""), backslashEscapes: false))
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                copy(until: (bytes[i...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1)
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                copy(until: blockComment(bytes, from: i))
            case UInt8(ascii: "$"):
                copy(until: dollarQuoted(bytes, from: i) ?? i + 1)
            default:
                out.append(byte)
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }

    /// The index just past the literal that opens at `start`.
    private static func quoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var i = start + 1
        while i < bytes.count {
            if backslashEscapes && bytes[i] == UInt8(ascii: "\\") {
                i += 2
            } else if bytes[i] == quote {
                // A doubled quote is a quote inside the literal.
                if i + 1 < bytes.count && bytes[i + 1] == quote { i += 2 } else { return i + 1 }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index just past a (nestable) block comment that opens at `start`.
    private static func blockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "*") {
                depth += 1
                i += 2
            } else if bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index just past a `$tag$...$tag$` literal opening at `start`, or nil when the `$` opens none
    /// (a `$1` parameter written by hand).
    private static func dollarQuoted(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count, bytes[i] == UInt8(ascii: "_") || (bytes[i] >= 0x80) || isLetter(bytes[i]) || (i > start + 1 && isDigit(bytes[i])) {
            i += 1
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "$") else { return nil }
        let tag = Array(bytes[start...i])
        var j = i + 1
        while j + tag.count <= bytes.count {
            if bytes[j] == UInt8(ascii: "$") && Array(bytes[j..<j + tag.count]) == tag { return j + tag.count }
            j += 1
        }
        return bytes.count
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

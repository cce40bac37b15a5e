import OzziRuntime

/// RFC 4180 CSV, byte by byte: quoted fields with `""` escapes and line breaks, CRLF or LF, a leading
/// UTF-8 BOM ignored. Each record carries the file line it starts on (the header is line 1).
struct CSVReader: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    /// Where the next record starts.
    private(set) var index = 0
    /// The file line the next record starts on.
    private(set) var line: Int
    /// Whether the last record read ended at a line break (false: at the end of the bytes, so a record
    /// cut by a chunk boundary may continue in the next chunk).
    private(set) var endedAtLineBreak = false

    struct Record {
        let line: Int
        let fields: [String]

        /// A blank line is not a record of data.
        var isBlank: Bool { fields.count == 1 && fields[0].isEmpty }
    }

    /// `line` numbers the first record (for a chunk that starts mid-file); a BOM is skipped at line 1.
    init(_ bytes: [UInt8], line: Int = 1) {
        self.bytes = bytes
        self.line = line
        if line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func next() -> Record? {
        guard index < bytes.count else { return nil }
        let start = line
        endedAtLineBreak = false
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty:
                quoted = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case 0x0D where index < bytes.count && bytes[index] == 0x0A:
                continue
            case 0x0A:
                line += 1
                endedAtLineBreak = true
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields)
            default:
                field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: start, fields: fields)
    }
}

/// CSV output: fields quoted when they hold a comma, quote or line break.
enum CSVWriter {
    static func line(_ fields: [String]) -> String {
        // By scalars: "\r\n", or a quote with a combining mark, is one Character, equal to none of these.
        fields.map { field in
            guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            var quoted = String.UnicodeScalarView()
            for scalar in field.unicodeScalars {
                if scalar == "\"" { quoted.append("\"") }
                quoted.append(scalar)
            }
            return "\"" + String(quoted) + "\""
        }.joined(separator: ",") + "\r\n"
    }

    /// Public input as a cell: a text a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or
    /// carriage return first) is kept as text by a leading `'` (OWASP's CSV injection advice).
    static func cell(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }
}

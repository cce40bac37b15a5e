/// Quoted-printable bodies (RFC 2045 §6.7) for text whose lines may be long or not ASCII: every output line
/// stays within 76 octets, line breaks become CRLF, and a line never starts with `.` or `From ` in the
/// clear (so SMTP dot-stuffing and mbox quoting cannot alter the text).
enum QuotedPrintable {
    private static let lineLimit = 76

    /// Appends `text` encoded to `out`. `\r\n`, `\r` and `\n` are all line breaks.
    static func encode(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { input in
            // At most 3 octets per input octet, a soft break per 24 of those, and CRLF for a lone CR or LF.
            let encoded = [UInt8](unsafeUninitializedCapacity: input.count * 4 + 8) { buffer, count in
                count = encode(input, into: buffer.baseAddress!)
            }
            out.append(contentsOf: encoded)
        }
    }

    /// Writes the encoding of `bytes` at `out` (room for `4 * count + 8` octets) and answers its length.
    private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var column = 0
        var index = 0
        var lineStart = true
        while index < bytes.count {
            let byte = bytes[index]
            // The common case first: a printable octet that is not `=`, well inside the line.
            if byte > 0x20, byte < 0x7F, byte != 0x3D, column < lineLimit - 2, !lineStart || (byte != 0x2E && byte != 0x46) {
                out[written] = byte
                written += 1
                column += 1
                lineStart = false
                index += 1
                continue
            }
            if byte == 0x0D || byte == 0x0A {
                index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                out[written] = 0x0D
                out[written + 1] = 0x0A
                written += 2
                column = 0
                lineStart = true
                continue
            }
            let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == 0x0D || bytes[index + 1] == 0x0A
            let plain: Bool = switch byte {
            case 0x20, 0x09: !atLineEnd
            case 0x3D: false
            case 0x2E: !lineStart
            case 0x46: !(lineStart && startsFrom(bytes, index))
            case 0x21...0x7E: true
            default: false
            }
            let width = plain ? 1 : 3
            // Room for this octet and, unless the line ends here, the `=` of a soft break after it.
            if column + width > lineLimit - (atLineEnd ? 0 : 1) {
                out[written] = 0x3D
                out[written + 1] = 0x0D
                out[written + 2] = 0x0A
                written += 3
                column = 0
                lineStart = true
                continue
            }
            if plain {
                out[written] = byte
            } else {
                out[written] = 0x3D
                out[written + 1] = hex(byte >> 4)
                out[written + 2] = hex(byte & 0x0F)
            }
            written += width
            column += width
            lineStart = false
            index += 1
        }
        return written
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x37 + nibble
    }

    private static func startsFrom(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index + 5 <= bytes.count && bytes[index + 1] == 0x72 && bytes[index + 2] == 0x6F && bytes[index + 3] == 0x6D && bytes[index + 4] == 0x20
    }
}

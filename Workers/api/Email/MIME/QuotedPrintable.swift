/// Quoted-printable bodies (RFC 2045 §6.7) for text whose lines may be long or not ASCII: every output line
/// stays within 76 octets, line breaks become CRLF, and a line never starts with `.` or `From ` in the
/// clear (so SMTP dot-stuffing and mbox quoting cannot alter the text).
enum QuotedPrintable {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let lineLimit = 76

    /// Appends `text` encoded to `out`. `\r\n`, `\r` and `\n` are all line breaks.
    static func encode(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count + bytes.count / 8 + 16)
            var column = 0
            var index = 0
            var lineStart = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0D || byte == 0x0A {
                    index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                    out.append(0x0D)
                    out.append(0x0A)
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
                    out.append(0x3D)
                    out.append(0x0D)
                    out.append(0x0A)
                    column = 0
                    lineStart = true
                    continue
                }
                if plain {
                    out.append(byte)
                } else {
                    out.append(0x3D)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
                column += width
                lineStart = false
                index += 1
            }
        }
    }

    private static func startsFrom(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index + 5 <= bytes.count && bytes[index + 1] == 0x72 && bytes[index + 2] == 0x6F && bytes[index + 3] == 0x6D && bytes[index + 4] == 0x20
    }
}

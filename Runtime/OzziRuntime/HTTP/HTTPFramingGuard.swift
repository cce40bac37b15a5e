/// RFC 9112 message framing, checked over the exact bytes http-parser consumed.
///
/// The Debian http-parser is built non-strict (it then takes any byte after chunk data, or after a CR, for
/// the CR or LF it expected), and even strict it accepts bare-LF line ends, obs-fold and any bytes in chunk
/// extensions. A stricter proxy in front of us reads such a message differently (request smuggling), so we
/// refuse them with 400 as RFC 9112 allows and as Node's llhttp does by default. http-parser still does the parsing; this
/// keeps its own view of where each line, head, chunk and message ends, and `HTTPRequestParser`
/// refuses the request wherever the two views differ (chunk sizes, message ends).
///
/// What it enforces: every line of the head, chunk-size lines and trailers end in CRLF; no NUL, other
/// control byte or bare CR anywhere in them (HT only inside field lines); no line after the request line
/// starts with SP/HT (obs-fold, or whitespace before the first field); a chunk-size line is
/// `1*HEXDIG *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ) CRLF`; chunk data is
/// followed by exactly CRLF. Empty lines (CRLF) before a request line are ignored, as §2.2 suggests.
///
/// A pure state machine fed in order, in any split: one forward pass, no allocation per byte.
/// Loop-confined like the `HTTPRequestParser` that owns it.
struct HTTPFramingGuard {
    /// How a message's body is delimited, as http-parser read its head (a request with neither
    /// Content-Length nor Transfer-Encoding has a body of length 0).
    enum Body: Equatable {
        case length(UInt64)
        case chunked
    }

    /// Why the bytes were refused; each names what is wrong for the client's 400.
    enum Violation: Error, Equatable, CustomStringConvertible {
        case bareLF
        case bareCR
        case controlByte(UInt8)
        case obsFold
        case chunkSize(UInt8)
        case chunkSizeOverflow
        case chunkExtension(UInt8)
        case afterChunkData(UInt8)
        /// The head ended where http-parser had not ended it.
        case headEndDisagrees
        /// The request line does not end in ` HTTP/d.d` (non-strict http-parser takes any bytes for `HTTP/`).
        case requestLineVersion

        var description: String {
            switch self {
            case .bareLF: "a line ends in LF without CR"
            case .bareCR: "CR not followed by LF"
            case .controlByte(let b): "control byte \(Self.hex(b)) in the request head or a chunk line"
            case .obsFold: "a header line starts with whitespace (obs-fold)"
            case .chunkSize(let b): "invalid byte \(Self.hex(b)) in a chunk size"
            case .chunkSizeOverflow: "chunk size too large"
            case .chunkExtension(let b): "invalid byte \(Self.hex(b)) in a chunk extension"
            case .afterChunkData(let b): "byte \(Self.hex(b)) after chunk data where CRLF belongs"
            case .headEndDisagrees: "the request head ends where the parser did not end it"
            case .requestLineVersion: "the request line does not end in ' HTTP/<digit>.<digit>'"
            }
        }

        private static func hex(_ b: UInt8) -> String { "0x" + String(b, radix: 16) }
    }

    private enum State: Equatable {
        /// Before a request line: empty lines (CRLF) may come first.
        case messageStart
        case leadingLF
        case requestLine
        case requestLineLF
        /// At the start of a field line, or of the empty line that ends the head.
        case fieldLineStart
        case fieldLine
        case fieldLineLF
        case headEndLF
        case lengthBody(remaining: UInt64)
        case chunkSizeStart
        case chunkSize
        case extensionBeforeSemicolon
        case extensionNameStart
        case extensionName
        case extensionAfterName
        case extensionValueStart
        case extensionToken
        case extensionQuoted
        case extensionQuotedPair
        case extensionAfterQuoted
        case chunkSizeLF
        case chunkData(remaining: UInt64)
        case chunkDataCR
        case chunkDataLF
        case trailerLineStart
        case trailerLine
        case trailerLineLF
        case trailerEndLF
    }

    private var state = State.messageStart
    /// The request line's last bytes so far (the newest in the low byte), for its ` HTTP/d.d` ending.
    private var requestLineTail: UInt128 = 0
    /// The size of the chunk whose size line is being read.
    private var size: UInt64 = 0

    /// Between messages: the last message ended at the last byte scanned.
    var atMessageStart: Bool { state == .messageStart }

    /// The head's closing CR was the last byte scanned; only its LF is missing. http-parser hands out the
    /// head of a streamed request at this point, before it consumes that LF.
    var awaitsHeadEndLF: Bool { state == .headEndLF }

    /// Scans the next bytes of the connection. `body` is how http-parser frames the current message's body,
    /// nil until it has read that message's head; each chunk size read is appended to `chunkSizes`.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, body: Body?, chunkSizes: inout [UInt64]) throws(Violation) {
        // Local copies stay in registers over the loop; they are written back on every exit.
        var state = self.state, size = self.size
        defer { (self.state, self.size) = (state, size) }
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            i += 1
            switch state {
            case .messageStart:
                if b == CR {
                    state = .leadingLF
                } else {
                    try Self.checkLineByte(b, tabAllowed: false)
                    requestLineTail = UInt128(b)
                    state = .requestLine
                }
            case .leadingLF:
                guard b == LF else { throw .bareCR }
                state = .messageStart
            case .requestLine:
                if b >= 0x20, b != 0x7F {
                    let end = Self.endOfPlainRun(bytes, from: i)
                    for j in max(i - 1, end - 9)..<end { requestLineTail = requestLineTail << 8 | UInt128(bytes[j]) }
                    i = end
                } else if b == CR {
                    guard Self.endsInVersion(requestLineTail) else { throw .requestLineVersion }
                    if i < n, bytes[i] == LF {
                        i += 1
                        state = .fieldLineStart
                    } else {
                        state = .requestLineLF
                    }
                } else {
                    try Self.checkLineByte(b, tabAllowed: false)
                }
            case .requestLineLF:
                guard b == LF else { throw .bareCR }
                state = .fieldLineStart
            case .fieldLineStart:
                switch b {
                case CR: state = .headEndLF
                case SP, HT: throw .obsFold
                default:
                    try Self.checkLineByte(b, tabAllowed: false)
                    state = .fieldLine
                }
            case .fieldLine:
                // Only control bytes and the line's end need a look: runs of other bytes are skipped.
                if b >= 0x20, b != 0x7F {
                    i = Self.endOfPlainRun(bytes, from: i)
                } else if b == CR {
                    // CRLF read at once when both are here: one step per line instead of two.
                    if i < n, bytes[i] == LF {
                        i += 1
                        state = .fieldLineStart
                    } else {
                        state = .fieldLineLF
                    }
                } else {
                    try Self.checkLineByte(b, tabAllowed: true)
                }
            case .fieldLineLF:
                guard b == LF else { throw .bareCR }
                state = .fieldLineStart
            case .headEndLF:
                guard b == LF else { throw .bareCR }
                switch body {
                case nil: throw .headEndDisagrees
                case .length(0)?: state = .messageStart
                case .length(let length)?: state = .lengthBody(remaining: length)
                case .chunked?: state = .chunkSizeStart
                }
            case .lengthBody(let remaining):
                // Body bytes are not looked at; only their count matters.
                let take = min(remaining, UInt64(n - i + 1))
                i += Int(take) - 1
                state = take == remaining ? .messageStart : .lengthBody(remaining: remaining - take)
            case .chunkSizeStart:
                guard let digit = b.hexDigitValue else { throw .chunkSize(b) }
                size = UInt64(digit)
                state = .chunkSize
            case .chunkSize:
                if let digit = b.hexDigitValue {
                    let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
                    guard !overflow, shifted <= UInt64.max - 1 - UInt64(digit) else { throw .chunkSizeOverflow }
                    size = shifted + UInt64(digit)
                } else {
                    state = try Self.afterChunkToken(b, in: .chunkSize)
                }
            case .extensionBeforeSemicolon:
                switch b {
                case SP, HT: break
                case SEMICOLON: state = .extensionNameStart
                default: throw .chunkExtension(b)
                }
            case .extensionNameStart:
                switch b {
                case SP, HT: break
                case _ where HTTPToken.isTokenByte(b): state = .extensionName
                default: throw .chunkExtension(b)
                }
            case .extensionName:
                if HTTPToken.isTokenByte(b) { break }
                switch b {
                case SP, HT: state = .extensionAfterName
                case EQUALS: state = .extensionValueStart
                default: state = try Self.afterChunkToken(b, in: .extensionName)
                }
            case .extensionAfterName:
                switch b {
                case SP, HT: break
                case EQUALS: state = .extensionValueStart
                case SEMICOLON: state = .extensionNameStart
                default: throw .chunkExtension(b)
                }
            case .extensionValueStart:
                switch b {
                case SP, HT: break
                case DQUOTE: state = .extensionQuoted
                case _ where HTTPToken.isTokenByte(b): state = .extensionToken
                default: throw .chunkExtension(b)
                }
            case .extensionToken:
                if !HTTPToken.isTokenByte(b) { state = try Self.afterChunkToken(b, in: .extensionToken) }
            case .extensionQuoted:
                switch b {
                case DQUOTE: state = .extensionAfterQuoted
                case BACKSLASH: state = .extensionQuotedPair
                case HT, 0x20...0x7E, 0x80...0xFF: break
                default: throw .chunkExtension(b)
                }
            case .extensionQuotedPair:
                guard b == HT || (b >= 0x20 && b != 0x7F) else { throw .chunkExtension(b) }
                state = .extensionQuoted
            case .extensionAfterQuoted:
                state = try Self.afterChunkToken(b, in: .extensionAfterQuoted)
            case .chunkSizeLF:
                guard b == LF else { throw .bareCR }
                chunkSizes.append(size)
                state = size == 0 ? .trailerLineStart : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, UInt64(n - i + 1))
                i += Int(take) - 1
                state = take == remaining ? .chunkDataCR : .chunkData(remaining: remaining - take)
            case .chunkDataCR:
                guard b == CR else { throw .afterChunkData(b) }
                state = .chunkDataLF
            case .chunkDataLF:
                guard b == LF else { throw .afterChunkData(b) }
                state = .chunkSizeStart
            case .trailerLineStart:
                switch b {
                case CR: state = .trailerEndLF
                case SP, HT: throw .obsFold
                default:
                    try Self.checkLineByte(b, tabAllowed: false)
                    state = .trailerLine
                }
            case .trailerLine:
                if b == CR {
                    state = .trailerLineLF
                } else {
                    try Self.checkLineByte(b, tabAllowed: true)
                }
            case .trailerLineLF:
                guard b == LF else { throw .bareCR }
                state = .trailerLineStart
            case .trailerEndLF:
                guard b == LF else { throw .bareCR }
                state = .messageStart
            }
        }
    }

    /// The state after a byte that ends a chunk size, extension name or extension value: BWS before `;`,
    /// `;` itself, or the CR that ends the line.
    private static func afterChunkToken(_ b: UInt8, in current: State) throws(Violation) -> State {
        switch b {
        case CR: return .chunkSizeLF
        case SEMICOLON: return .extensionNameStart
        case SP, HT: return .extensionBeforeSemicolon
        case LF: throw .bareLF
        default: throw current == .chunkSize ? .chunkSize(b) : .chunkExtension(b)
        }
    }

    /// The index of the first byte from `start` on that is a control byte (below 0x20, or DEL), or the end.
    /// Eight bytes at a time: `(x - 0x2020…) & ~x & 0x8080…` sets the high bit of each byte under 0x20, and
    /// of bytes above one only through the borrow it starts, so its lowest set bit marks the first such
    /// byte; the same test on `x ^ 0x7F7F…` against 0x01 marks DEL.
    @inline(__always)
    private static func endOfPlainRun(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let n = bytes.count
        var i = start
        while i + 8 <= n {
            let x = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let d = x ^ 0x7F7F_7F7F_7F7F_7F7F
            let flagged = (((x &- 0x2020_2020_2020_2020) & ~x) | ((d &- 0x0101_0101_0101_0101) & ~d)) & 0x8080_8080_8080_8080
            if flagged != 0 { return i + flagged.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n, bytes[i] >= 0x20, bytes[i] != 0x7F { i += 1 }
        return i
    }

    /// Whether the last nine bytes of a request line are ` HTTP/d.d` (RFC 9112 §2.3).
    private static func endsInVersion(_ tail: UInt128) -> Bool {
        func byte(_ back: Int) -> UInt8 { UInt8(truncatingIfNeeded: tail >> (8 * back)) }
        func digit(_ back: Int) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(back)) }
        return byte(8) == SP && byte(7) == UInt8(ascii: "H") && byte(6) == UInt8(ascii: "T") && byte(5) == UInt8(ascii: "T")
            && byte(4) == UInt8(ascii: "P") && byte(3) == UInt8(ascii: "/") && digit(2) && byte(1) == UInt8(ascii: ".") && digit(0)
    }

    /// A byte inside a line that is not CR: LF alone and control bytes are refused.
    private static func checkLineByte(_ b: UInt8, tabAllowed: Bool) throws(Violation) {
        if b == LF { throw .bareLF }
        if (b < 0x20 && !(tabAllowed && b == HT)) || b == 0x7F { throw .controlByte(b) }
    }
}

private let CR: UInt8 = 0x0D
private let LF: UInt8 = 0x0A
private let SP: UInt8 = 0x20
private let HT: UInt8 = 0x09
private let SEMICOLON = UInt8(ascii: ";")
private let EQUALS = UInt8(ascii: "=")
private let DQUOTE = UInt8(ascii: "\"")
private let BACKSLASH = UInt8(ascii: "\\")

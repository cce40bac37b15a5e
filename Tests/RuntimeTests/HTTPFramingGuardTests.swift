import Testing
@testable import OzziRuntime

/// The framing guard alone: fed bytes in any split, with the body framing http-parser would report.
@Suite struct HTTPFramingGuardTests {
    typealias Violation = HTTPFramingGuard.Violation

    struct Outcome: Equatable {
        var violation: Violation?
        var chunkSizes: [UInt64]
        var atMessageStart: Bool
    }

    /// Scans `text` in pieces cut at `cuts`, as consecutive reads of one connection.
    func scan(_ text: String, body: HTTPFramingGuard.Body? = .length(0), cuts: [Int] = []) -> Outcome {
        let bytes = Array(text.utf8)
        var framing = HTTPFramingGuard()
        var sizes: [UInt64] = []
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            do {
                try bytes[start..<end].withUnsafeBytes { try framing.scan($0, body: body, chunkSizes: &sizes) }
            } catch {
                return Outcome(violation: error as? Violation, chunkSizes: sizes, atMessageStart: framing.atMessageStart)
            }
            start = end
        }
        return Outcome(violation: nil, chunkSizes: sizes, atMessageStart: framing.atMessageStart)
    }

    static let chunkedHead = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// The outside probe's findings, each read as chunked or as a length by http-parser, and their neighbours.
    static let refused: [(name: String, text: String, body: HTTPFramingGuard.Body?, violation: Violation)] = [
        ("bytes after chunk data", chunkedHead + "2\r\n{}XX0\r\n\r\n", .chunked, .afterChunkData(UInt8(ascii: "X"))),
        ("CR then a byte after chunk data", chunkedHead + "2\r\n{}\rX0\r\n\r\n", .chunked, .afterChunkData(UInt8(ascii: "X"))),
        ("bare LF in a chunk extension", chunkedHead + "2;a\nb\r\n{}\r\n0\r\n\r\n", .chunked, .bareLF),
        ("NUL in a chunk extension", chunkedHead + "2;a\0b\r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(0)),
        ("NUL in a quoted chunk extension", chunkedHead + "2;a=\"\0\"\r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(0)),
        ("bare LF in a quoted chunk extension", chunkedHead + "2;a=\"\n\"\r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(0x0A)),
        ("anything after a chunk size", chunkedHead + "2 zz\r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(UInt8(ascii: "z"))),
        ("whitespace after a chunk size without an extension", chunkedHead + "2 \r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(0x0D)),
        ("extension without a name", chunkedHead + "2;=b\r\n{}\r\n0\r\n\r\n", .chunked, .chunkExtension(UInt8(ascii: "="))),
        ("non-hex chunk size", chunkedHead + "2x\r\n{}\r\n0\r\n\r\n", .chunked, .chunkSize(UInt8(ascii: "x"))),
        ("signed chunk size", chunkedHead + "+2\r\n{}\r\n0\r\n\r\n", .chunked, .chunkSize(UInt8(ascii: "+"))),
        ("chunk size beyond 64 bits", chunkedHead + "10000000000000000\r\n", .chunked, .chunkSizeOverflow),
        ("bare LF after a chunk size", chunkedHead + "2\n{}\r\n0\r\n\r\n", .chunked, .bareLF),
        ("bare CR after a chunk size", chunkedHead + "2\r{}\r\n0\r\n\r\n", .chunked, .bareCR),
        ("bare LF after the last chunk", chunkedHead + "0\n\r\n", .chunked, .bareLF),
        ("CR then a byte ends the trailers", chunkedHead + "0\r\n\rX", .chunked, .bareCR),
        ("obs-fold in a trailer", chunkedHead + "0\r\nX: a\r\n b\r\n\r\n", .chunked, .obsFold),
        ("bare LF after a trailer", chunkedHead + "0\r\nX: a\n\r\n", .chunked, .bareLF),
        ("obs-fold on Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", .chunked, .obsFold),
        ("obs-fold on Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\t2\r\n\r\n{}", .length(2), .obsFold),
        ("whitespace before the first field", "GET / HTTP/1.1\r\n Host: x\r\n\r\n", .length(0), .obsFold),
        ("bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n", .length(0), .bareLF),
        // Found by fuzz/http: non-strict http-parser takes any four bytes for "TTP/", so "H\r\n\r\n1.1" read as
        // HTTP/1.1 and the head went on past the empty line; split differently, it was refused.
        ("a version that is not HTTP/d.d", "GET /ws H\r\n\r\n1.1\r\nHost: x\r\n\r\n", .length(0), .requestLineVersion),
        ("a lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", .length(0), .requestLineVersion),
        ("no space before the version", "GET /HTTP/1.1\r\nHost: x\r\n\r\n", .length(0), .requestLineVersion),
        ("bare LF ends a field line", "GET / HTTP/1.1\r\nHost: x\n\r\n", .length(0), .bareLF),
        ("bare LF ends the head", "GET / HTTP/1.1\r\nHost: x\r\n\n", .length(0), .bareLF),
        ("bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", .length(0), .bareLF),
        ("bare CR in a field value", "GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n", .length(0), .bareCR),
        ("CR then a byte ends the head", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\rX{}", .length(2), .bareCR),
        ("NUL in a field value", "GET / HTTP/1.1\r\nHost: x\0\r\n\r\n", .length(0), .controlByte(0)),
        ("tab in the request line", "GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n", .length(0), .controlByte(0x09)),
        ("DEL in the request line", "GET /a\u{7f} HTTP/1.1\r\nHost: x\r\n\r\n", .length(0), .controlByte(0x7F)),
        ("the head ends before the parser ended it", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", nil, .headEndDisagrees),
    ]

    @Test(arguments: refused.indices) func lenientFramingIsRefused(_ index: Int) {
        let (name, text, body, violation) = Self.refused[index]
        #expect(scan(text, body: body).violation == violation, "\(name)")
        // The same verdict whichever way the bytes arrive.
        let count = text.utf8.count
        for cut in 0...count {
            #expect(scan(text, body: body, cuts: [cut]).violation == violation, "\(name), cut at \(cut)")
        }
        #expect(scan(text, body: body, cuts: Array(0...count)).violation == violation, "\(name), byte by byte")
    }

    static let accepted: [(name: String, text: String, body: HTTPFramingGuard.Body, sizes: [UInt64])] = [
        ("a small GET", "GET /hello?x=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", .length(0), []),
        ("empty lines before the request line", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", .length(0), []),
        ("tabs and obs-text in field values", "GET / HTTP/1.1\r\nHost: x\r\nX: a\tb \u{e9}\t\r\n\r\n", .length(0), []),
        ("a body by length, with CR and LF inside", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\na\r\n\nb", .length(5), []),
        ("chunked", chunkedHead + "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n", .chunked, [4, 5, 0]),
        ("chunk data holding CRLF", chunkedHead + "4\r\n\r\n\r\n\r\n0\r\n\r\n", .chunked, [4, 0]),
        ("hex sizes in both cases, leading zeros", chunkedHead + "0a\r\n0123456789\r\nA\r\n0123456789\r\n000\r\n\r\n", .chunked, [10, 10, 0]),
        ("chunk extensions", chunkedHead + "2;a\r\n{}\r\n2;a=b;c\r\n{}\r\n2 ; a = \"q;\\\"\t\u{e9}\" ;b=c\r\n{}\r\n0;last\r\n\r\n", .chunked, [2, 2, 2, 0]),
        ("trailers", chunkedHead + "1\r\nx\r\n0\r\nX-Sum: 1\r\nY:\t2\r\n\r\n", .chunked, [1, 0]),
    ]

    @Test(arguments: accepted.indices) func validFramingIsAcceptedSplitAtEveryByte(_ index: Int) {
        let (name, text, body, sizes) = Self.accepted[index]
        let whole = Outcome(violation: nil, chunkSizes: sizes, atMessageStart: true)
        #expect(scan(text, body: body) == whole, "\(name)")
        let count = text.utf8.count
        for cut in 0...count {
            #expect(scan(text, body: body, cuts: [cut]) == whole, "\(name), cut at \(cut)")
        }
        #expect(scan(text, body: body, cuts: Array(0...count)) == whole, "\(name), byte by byte")
    }

    /// Field lines are skipped eight bytes at a time; a byte that matters is found at any offset in a word.
    @Test func aControlByteIsFoundWhereverItFalls() {
        let value = Array(repeating: UInt8(ascii: "a"), count: 40)
        for position in value.indices {
            for (byte, violation) in [(UInt8(0), Violation.controlByte(0)), (0x1F, .controlByte(0x1F)), (0x7F, .controlByte(0x7F)),
                                      (0x0A, .bareLF), (0x0D, .bareCR)] {
                var line = value
                line[position] = byte
                let text = "GET / HTTP/1.1\r\nHost: x\r\nX: " + String(decoding: line, as: UTF8.self) + "\r\n\r\n"
                #expect(scan(text).violation == violation, "0x\(String(byte, radix: 16)) at \(position)")
            }
            for byte: UInt8 in [0x09, 0x20, 0x7E, 0x80, 0xFF] {
                var line = value
                line[position] = byte
                var bytes = Array("GET / HTTP/1.1\r\nHost: x\r\nX: ".utf8) + line
                bytes += Array("\r\n\r\n".utf8)
                var framing = HTTPFramingGuard()
                var sizes: [UInt64] = []
                #expect(throws: Never.self) { try bytes.withUnsafeBytes { try framing.scan($0, body: .length(0), chunkSizes: &sizes) } }
                #expect(framing.atMessageStart, "0x\(String(byte, radix: 16)) at \(position)")
            }
        }
    }

    @Test func aMessageEndsExactlyWhereItsBodyDoes() {
        let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"
        #expect(!scan(head + "ab", body: .length(3)).atMessageStart)
        #expect(scan(head + "abc", body: .length(3)).atMessageStart)
        #expect(!scan(Self.chunkedHead + "1\r\na\r\n0\r\n\r", body: .chunked).atMessageStart)
    }
}

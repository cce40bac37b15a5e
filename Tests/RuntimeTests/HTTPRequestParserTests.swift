import OzziTestSupport
import Testing
@testable import OzziRuntime

@Suite struct HTTPRequestParserTests {
    func feed(_ text: String, limits: ServerLimits = ServerLimits()) -> [HTTPRequestParser.Outcome] {
        let parser = HTTPRequestParser(limits: limits)
        var bytes = Array(text.utf8)[...]
        var outcomes: [HTTPRequestParser.Outcome] = []
        while !bytes.isEmpty {
            let outcome = bytes.withUnsafeBytes { parser.feed($0) }
            outcomes.append(outcome)
            switch outcome {
            case .message(_, _, let consumed), .streamHead(_, let consumed): bytes = bytes.dropFirst(consumed)
            case .needMore, .failed: bytes = []
            }
        }
        return outcomes
    }

    @Test func pipelinedRequestsComeOutOneAtATime() {
        let outcomes = feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.0\r\n\r\n")
        var seen: [String] = []
        for outcome in outcomes {
            if case .message(let head, let body, _) = outcome {
                seen.append("\(head.method) \(head.target) \(String(decoding: body, as: UTF8.self)) \(head.keepAlive)")
            }
        }
        #expect(seen == ["GET /a  true", "POST /b?q=1 abc true", "GET /c  false"])
    }

    @Test func chunkedBodyIsReassembled() {
        guard case .message(_, let body, _) = feed("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").first else {
            Issue.record("no message")
            return
        }
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia")
    }

    @Test func partialInputNeedsMore() {
        guard case .needMore = feed("GET / HTTP/1.1\r\nHost: x\r\n").first else {
            Issue.record("expected needMore")
            return
        }
    }

    func failure(_ text: String, limits: ServerLimits = ServerLimits()) -> HTTPParseFailure? {
        for outcome in feed(text, limits: limits) {
            if case .failed(let failure) = outcome { return failure }
        }
        return nil
    }

    @Test func smugglingAndLimits() {
        #expect(failure("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")?.status == 400)
        #expect(failure("GET / HTTP/1.1\r\nHost: x\r\nBad\u{1}: y\r\n\r\n")?.status == 400)
        #expect(failure("GET / HTTP/1.1\r\nHost: x\r\nX: a\u{7f}b\r\n\r\n")?.status == 400)
        #expect(failure("GET / HTTP/1.1\r\n\r\n") == .malformed("an HTTP/1.1 request needs exactly one Host header"))
        var small = ServerLimits()
        small.maxHeaderBytes = 1024
        small.maxBodyBytes = 10
        #expect(failure("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 2000))\r\n\r\n", limits: small) == .headersTooLarge)
        #expect(failure("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: small) == .bodyTooLarge)
        #expect(failure("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nhello world\r\n0\r\n\r\n", limits: small) == .bodyTooLarge)
        #expect(failure("POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx")?.status == 417)
    }

    @Test func expectContinueIsSeenBeforeTheBody() {
        let parser = HTTPRequestParser(limits: ServerLimits())
        let head = Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)
        guard case .needMore = head.withUnsafeBytes({ parser.feed($0) }) else {
            Issue.record("head alone is not a message")
            return
        }
        #expect(parser.phase == .body)
        #expect(parser.expectsContinue)
    }

    @Test func aStreamingRouteGetsItsHeadFirstThenBodyBytes() {
        let parser = HTTPRequestParser(limits: ServerLimits()) { head in head.target == "/upload" ? 8 : nil }
        let input = Array("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc".utf8)
        let first = input.withUnsafeBytes { parser.feed($0) }
        guard case .streamHead(let head, let consumed) = first else {
            Issue.record("expected the head, got \(first)")
            return
        }
        #expect(head.target == "/upload")
        let rest = input[consumed...].withUnsafeBytes { parser.feed($0) }
        guard case .needMore = rest else {
            Issue.record("expected more, got \(rest)")
            return
        }
        #expect(parser.takeStreamedBody() == Array("abc".utf8))
        let end = Array("def".utf8).withUnsafeBytes { parser.feed($0) }
        guard case .message(_, let body, _) = end else {
            Issue.record("expected the end, got \(end)")
            return
        }
        #expect(body.isEmpty)
        #expect(parser.takeStreamedBody() == Array("def".utf8))
    }

    @Test func aStreamingRouteHasItsOwnLimit() {
        let limits = ServerLimits()
        let parser = { HTTPRequestParser(limits: limits) { _ in 4 } }
        let declared = Array("POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n".utf8).withUnsafeBytes { parser().feed($0) }
        guard case .failed(.bodyTooLarge) = declared else {
            Issue.record("expected 413 at the head, got \(declared)")
            return
        }
        let chunked = parser()
        let input = Array("POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        guard case .streamHead(_, let consumed) = input.withUnsafeBytes({ chunked.feed($0) }) else {
            Issue.record("expected the head")
            return
        }
        // The parser stops inside the head's last line break; feeding resumes there.
        let over = Array(input[consumed...] + Array("5\r\nhello\r\n0\r\n\r\n".utf8)).withUnsafeBytes { chunked.feed($0) }
        guard case .failed(.bodyTooLarge) = over else {
            Issue.record("expected 413 in the body, got \(over)")
            return
        }
    }

    // MARK: - Framing (RFC 9112), checked beside http-parser

    /// Feeds `pieces` as consecutive reads, as `HTTPConnection` does: after a message or a streamed head
    /// the rest of the read is fed again; a failure ends it. Requests for `streamRoute` stream their body.
    func events(_ pieces: [ArraySlice<UInt8>], streamRoute: String? = nil) -> [String] {
        let parser = HTTPRequestParser(limits: ServerLimits()) { head in head.target == streamRoute ? 1 << 20 : nil }
        var events: [String] = []
        var streamed: [UInt8] = []
        for piece in pieces {
            var rest = piece
            while !rest.isEmpty {
                let outcome = rest.withUnsafeBytes { parser.feed($0) }
                streamed += parser.takeStreamedBody()
                switch outcome {
                case .needMore:
                    rest = []
                case .message(let head, let body, let consumed):
                    events.append("\(head.method) \(head.target) \(String(decoding: body.isEmpty ? streamed : body, as: UTF8.self))")
                    streamed = []
                    rest = rest.dropFirst(consumed)
                case .streamHead(let head, let consumed):
                    events.append("stream \(head.target)")
                    rest = rest.dropFirst(consumed)
                case .failed(let failure):
                    if !streamed.isEmpty { events.append("streamed \(String(decoding: streamed, as: UTF8.self))") }
                    events.append("failed \(failure.status)")
                    return events
                }
            }
        }
        return events
    }

    func events(_ text: String, cuts: [Int] = [], streamRoute: String? = nil) -> [String] {
        let bytes = Array(text.utf8)[...]
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            pieces.append(bytes[start..<end])
            start = end
        }
        return events(pieces, streamRoute: streamRoute)
    }

    static let chunkedHead = "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// The outside probe's findings: http-parser read each as chunked or as a length.
    static let lenientFraming: [(name: String, text: String)] = [
        ("bytes after chunk data", chunkedHead + "2\r\n{}XX0\r\n\r\n"),
        ("bytes after chunk data, then a chunk and an error", chunkedHead + "2\r\n{}XX5\r\nhello\r\nzz\r\n"),
        ("bare LF in a chunk extension", chunkedHead + "2;a\nb\r\n{}\r\n0\r\n\r\n"),
        ("NUL in a chunk extension", chunkedHead + "2;a\0b\r\n{}\r\n0\r\n\r\n"),
        ("junk after a chunk size", chunkedHead + "2 zz\r\n{}\r\n0\r\n\r\n"),
        ("bare LF after a chunk size", chunkedHead + "2\n{}\r\n0\r\n\r\n"),
        ("CR then a byte ends the trailers", chunkedHead + "2\r\n{}\r\n0\r\n\rX"),
        ("obs-fold on Transfer-Encoding", "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
        ("obs-fold on Content-Length", "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n 2\r\n\r\n{}"),
        ("bare LF line ends", "GET /up HTTP/1.1\nHost: x\n\n"),
        ("CR then a byte ends the head", "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\rX{}"),
        ("tab in the request line", "GET /u\tp HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("space before the colon of Transfer-Encoding", "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        ("tab before the colon of Transfer-Encoding", "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n"),
    ]

    @Test(arguments: lenientFraming.indices) func lenientFramingIsRefusedBeforeAnythingIsHandedOut(_ index: Int) {
        let (name, text) = Self.lenientFraming[index]
        // In one read: nothing comes out but, for a streamed route with a good head, that head.
        let whole = events(text, streamRoute: "/up")
        #expect(whole == ["failed 400"] || whole == ["stream /up", "failed 400"], "\(name): \(whole)")
        let count = text.utf8.count
        for cuts in [[]] + (0...count).map { [$0] } + [Array(0...count)] {
            let place = cuts.count == 1 ? "cut at \(cuts[0])" : "\(cuts.count) cuts"
            #expect(events(text, cuts: cuts) == ["failed 400"], "\(name), \(place)")
            // Streamed, body bytes before the fault may already be with the handler; the request never completes.
            let streamed = events(text, cuts: cuts, streamRoute: "/up")
            #expect(streamed.last == "failed 400" && !streamed.contains { $0.hasPrefix("POST") || $0.hasPrefix("GET") },
                    "\(name), \(place), streamed: \(streamed)")
        }
    }

    @Test func aStreamedHeadEndingInCRWithoutLFIsNotHandedOut() {
        let text = "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\rX{}"
        #expect(events(text, streamRoute: "/up") == ["failed 400"])
        #expect(failure(text) == .malformed("CR not followed by LF"))
    }

    @Test func refusalsNameWhatIsWrong() {
        #expect(failure(Self.chunkedHead + "2\r\n{}XX0\r\n\r\n") == .malformed("byte 0x58 after chunk data where CRLF belongs"))
        #expect(failure(Self.chunkedHead + "2;a\0b\r\n{}\r\n0\r\n\r\n") == .malformed("invalid byte 0x0 in a chunk extension"))
        #expect(failure("GET / HTTP/1.1\nHost: x\n\n") == .malformed("a line ends in LF without CR"))
        #expect(failure("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n")
            == .malformed("a header line starts with whitespace (obs-fold)"))
    }

    /// RFC 9110: a method the server does not implement is 501; bytes that are no method at all, 400.
    @Test func unknownMethodsAreNotImplemented() {
        #expect(failure("GETX / HTTP/1.1\r\nHost: x\r\n\r\n") == .unsupportedFeature("the method GETX"))
        #expect(failure("GETX / HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 501)
        #expect(failure("\u{1}\u{2} / HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
        #expect(failure("GE\"T / HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
    }

    /// QUERY (RFC 9110's registry has it; http-parser predates it) is read as a request, body and all, so a
    /// route can answer it, and the message after it is read as usual.
    @Test func theQueryMethodIsReadAsARequest() {
        #expect(events("QUERY /search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
                == ["QUERY /search abc", "GET /next "])
    }

    @Test func legalTransferEncodingSpellingsAreReadAsChunked() {
        // RFC 9110: field names and codings are case-insensitive; OWS may be empty, SP or HT.
        for field in ["transfer-encoding:chunked", "Transfer-Encoding:\tchunked", "TRANSFER-ENCODING: CHUNKED", "Transfer-Encoding: Chunked  "] {
            let text = "POST /up HTTP/1.1\r\nHost: x\r\n\(field)\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            #expect(events(text) == ["POST /up abc"], "\(field)")
        }
        for field in ["Transfer-Encoding: chunked, identity", "Transfer-Encoding: chunkedx", "Transfer-Encoding: \"chunked\""] {
            let text = "POST /up HTTP/1.1\r\nHost: x\r\n\(field)\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            #expect(failure(text)?.status == 501, "\(field)")
        }
    }

    @Test func validRequestsSplitAtEveryByteStillParse() {
        let text = "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\na\r\n\nb"
            + "POST /up HTTP/1.1\r\nHost: x\r\ntransfer-encoding:\tchunked\r\n\r\n3;a=\"x;y\"\r\nabc\r\n2 ; b\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
            + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"
            + "GET /d HTTP/1.0\r\n\r\n"
        let count = text.utf8.count
        for streamRoute in [nil, "/up"] {
            let whole = events(text, streamRoute: streamRoute)
            let up = streamRoute == nil ? ["POST /up abcde"] : ["stream /up", "POST /up abcde"]
            #expect(whole == ["GET /a ", "POST /b a\r\n\nb"] + up + ["POST /c z", "GET /d "])
            for cut in 0...count {
                #expect(events(text, cuts: [cut], streamRoute: streamRoute) == whole, "cut at \(cut)")
            }
            #expect(events(text, cuts: Array(0...count), streamRoute: streamRoute) == whole, "byte by byte")
        }
    }

    @Test func absoluteFormTargetsMustBeHTTPWithAHost() {
        #expect(events("GET http://example.com/a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n") == ["GET http://example.com/a?b=1 "])
        #expect(failure("GET ftp://example.com/a HTTP/1.1\r\nHost: x\r\n\r\n")
            == .malformed("absolute-form request target with scheme 'ftp'; only http and https are served"))
        #expect(failure("GET http://user@example.com/a HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
        #expect(failure("GET http://example.com:99999/a HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
    }

    /// Found by fuzz/http: each read that cut a header name counted its ": " and CRLF again, so a head
    /// well under the limit got 431 when it arrived a byte at a time.
    @Test func theHeaderLimitDoesNotDependOnHowTheHeadArrives() {
        var limits = ServerLimits()
        limits.maxHeaderBytes = 128
        let text = "GET / HTTP/1.1\r\nHost: example.test\r\nX-Long-Header-Name: \(String(repeating: "v", count: 60))\r\n\r\n"
        #expect(failure(text, limits: limits) == nil)
        let parser = HTTPRequestParser(limits: limits)
        var outcomes: [HTTPRequestParser.Outcome] = []
        for byte in Array(text.utf8) {
            outcomes.append([byte].withUnsafeBytes { parser.feed($0) })
        }
        guard case .message(let head, _, _)? = outcomes.last else {
            Issue.record("expected the request, got \(String(describing: outcomes.last))")
            return
        }
        #expect(head.headers["x-long-header-name"]?.count == 60)
        var over = limits
        over.maxHeaderBytes = 102
        #expect(failure(text, limits: over) == .headersTooLarge)
    }
}

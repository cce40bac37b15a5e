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

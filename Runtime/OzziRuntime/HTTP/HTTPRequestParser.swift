import CHTTPParser

/// One http-parser instance for one connection, collecting the request being read.
///
/// The parser pauses after each complete message so pipelined requests are handed out one at a time;
/// limits and the header-byte checks that http-parser leaves lax are enforced in its callbacks, and the
/// framing it leaves lax (line ends, folds, chunk syntax) by an `HTTPFramingGuard` over the bytes it consumed.
/// Loop-confined: owned by one `HTTPConnection` and used only on its loop.
/// Hot stored properties opt out of dynamic exclusivity checks (`@exclusivity(unchecked)`): only the
/// loop thread touches them and no two accesses overlap; the checks cost about a tenth of a small request.
final class HTTPRequestParser {
    enum Outcome {
        /// Everything given was consumed; the message is not complete yet.
        case needMore
        /// A whole request was read from the first `consumed` bytes (its body is empty when streamed).
        case message(HTTPRequestHead, body: [UInt8], consumed: Int)
        /// The head of a request whose route takes the body streamed; body bytes follow in
        /// `takeStreamedBody()` after each later `feed`.
        case streamHead(HTTPRequestHead, consumed: Int)
        case failed(HTTPParseFailure)
    }

    /// How far into the current message the parser is; the connection arms its timers from this.
    enum Phase { case idle, head, body }

    private let parser: UnsafeMutablePointer<http_parser>
    private let limits: ServerLimits
    /// Whether (and up to how many bytes) a request's body is streamed, asked once its head is read.
    private let streamedBodyLimit: (HTTPRequestHead) -> Int?
    @exclusivity(unchecked) private(set) var phase: Phase = .idle
    @exclusivity(unchecked) private(set) var head: HTTPRequestHead?
    @exclusivity(unchecked) private var failure: HTTPParseFailure?
    @exclusivity(unchecked) private var url: [UInt8] = []
    @exclusivity(unchecked) private var field: [UInt8] = []
    @exclusivity(unchecked) private var value: [UInt8] = []
    @exclusivity(unchecked) private var inValue = false
    @exclusivity(unchecked) private var headers: [(name: String, value: String)] = []
    @exclusivity(unchecked) private var headerBytes = 0
    @exclusivity(unchecked) private var body: [UInt8] = []
    @exclusivity(unchecked) private var completed: (HTTPRequestHead, [UInt8])?
    /// The request being read streams its body: bytes go to `streamed`, up to `bodyLimit`.
    @exclusivity(unchecked) private(set) var streaming = false
    @exclusivity(unchecked) private(set) var bodyLimit = 0
    @exclusivity(unchecked) private var bodyCount = 0
    @exclusivity(unchecked) private var streamed: [UInt8] = []
    @exclusivity(unchecked) private var streamStarted: HTTPRequestHead?
    @exclusivity(unchecked) private var framing = HTTPFramingGuard()
    /// How http-parser frames the current message's body; nil until it has read the head.
    @exclusivity(unchecked) private var bodyFraming: HTTPFramingGuard.Body?
    /// Chunk sizes read during one `feed`, by http-parser and by the framing guard; they must agree.
    @exclusivity(unchecked) private var parsedChunkSizes: [UInt64] = []
    @exclusivity(unchecked) private var guardedChunkSizes: [UInt64] = []
    /// Set once the framing guard refused the input: the connection is done, whatever comes after.
    @exclusivity(unchecked) private var refused: HTTPParseFailure?

    init(limits: ServerLimits, streamedBodyLimit: @escaping (HTTPRequestHead) -> Int? = { _ in nil }) {
        self.limits = limits
        self.streamedBodyLimit = streamedBodyLimit
        parser = .allocate(capacity: 1)
        http_parser_init(parser, HTTP_REQUEST)
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        parser.deallocate()
    }

    /// Whether the head announced `Expect: 100-continue` and is waiting for the go-ahead.
    var expectsContinue: Bool { phase == .body && announcedContinue }
    @exclusivity(unchecked) private var announcedContinue = false

    func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        guard !bytes.isEmpty else { return .needMore }
        if let refused { return .failed(refused) }
        let consumed = bytes.withMemoryRebound(to: CChar.self) { chars in
            http_parser_execute(parser, HTTPRequestParser.settings, chars.baseAddress, chars.count)
        }
        let errno = http_errno(parser.pointee.http_errno)
        // The framing guard reads the same bytes before anything from them is handed out (a message, a
        // streamed head, body bytes), and also when http-parser failed further on, so that body bytes it
        // read past a framing fault are not handed out either.
        if errno == HPE_PAUSED, let (head, body) = completed.take() {
            if let violation = checkFraming(bytes, consumed: consumed, stop: .messageEnd) { return refuse(violation) }
            http_parser_pause(parser, 0)
            return .message(head, body: body, consumed: consumed)
        }
        if errno == HPE_PAUSED, let head = streamStarted.take() {
            if let violation = checkFraming(bytes, consumed: consumed, stop: .streamedHead) { return refuse(violation) }
            http_parser_pause(parser, 0)
            return .streamHead(head, consumed: consumed)
        }
        if let violation = checkFraming(bytes, consumed: consumed, stop: nil) { return refuse(violation) }
        if errno != HPE_OK {
            if let failure { return .failed(failure) }
            if errno == HPE_HEADER_OVERFLOW { return .failed(.headersTooLarge) }
            if errno == HPE_INVALID_METHOD, let method = Self.methodToken(bytes, failedAt: consumed) {
                // A registered method newer than http-parser, at the start of a message: read as a stand-in of
                // the same length that http-parser knows, then named rightly, so routes answer it (405 + Allow).
                if consumed == 0, methodOverride == nil, let standIn = Self.standIns[method] {
                    return readAs(standIn, for: method, bytes)
                }
                // Any other well-formed method is one this server does not implement: 501, as RFC 9110 asks;
                // bytes that are no method at all stay a 400.
                return .failed(.unsupportedFeature("the method \(method)"))
            }
            return .failed(.malformed(String(cString: http_errno_description(errno))))
        }
        return .needMore
    }

    /// Registered methods http-parser predates, and a method of the same length it parses alike.
    static let standIns = ["QUERY": "PURGE"]

    /// Set while a message read through a stand-in method is parsed: its real method.
    @exclusivity(unchecked) private var methodOverride: String?

    private func readAs(_ standIn: String, for method: String, _ bytes: UnsafeRawBufferPointer) -> Outcome {
        http_parser_init(parser, HTTP_REQUEST)
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        methodOverride = method
        var copy = Array(bytes)
        copy.replaceSubrange(0..<standIn.utf8.count, with: standIn.utf8)
        return copy.withUnsafeBytes { feed($0) }
    }

    /// The method token around the byte http-parser stopped at, when that is a token (RFC 9110 tchars)
    /// ending in a space, or the read ends inside it.
    static func methodToken(_ bytes: UnsafeRawBufferPointer, failedAt index: Int) -> String? {
        func tchar(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
        guard index < bytes.count, tchar(bytes[index]) else { return nil }
        var start = index, end = index
        while start > 0, tchar(bytes[start - 1]) { start -= 1 }
        while end < bytes.count, tchar(bytes[end]) { end += 1 }
        guard end - start <= 32, end == bytes.count || bytes[end] == UInt8(ascii: " ") else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Where http-parser paused after the bytes it consumed.
    private enum Stop { case messageEnd, streamedHead }

    /// Runs the framing guard over the bytes http-parser consumed and holds its view against
    /// http-parser's: the chunk sizes each read, and where a message or a streamed head ended.
    private func checkFraming(_ bytes: UnsafeRawBufferPointer, consumed: Int, stop: Stop?) -> HTTPParseFailure? {
        do {
            try framing.scan(UnsafeRawBufferPointer(rebasing: bytes[..<consumed]), body: bodyFraming, chunkSizes: &guardedChunkSizes)
        } catch {
            return .malformed(error.description)
        }
        if !guardedChunkSizes.isEmpty || !parsedChunkSizes.isEmpty {
            defer {
                guardedChunkSizes.removeAll(keepingCapacity: true)
                parsedChunkSizes.removeAll(keepingCapacity: true)
            }
            if guardedChunkSizes != parsedChunkSizes {
                return .malformed("chunk sizes \(guardedChunkSizes) read as \(parsedChunkSizes) by the parser")
            }
        }
        switch stop {
        case nil:
            return nil
        case .messageEnd?:
            return framing.atMessageStart ? nil : .malformed("the message ends where the parser did not end it")
        case .streamedHead?:
            // http-parser stops on the head's last byte and consumes it with the next feed; it must be LF.
            guard framing.awaitsHeadEndLF else { return .malformed(HTTPFramingGuard.Violation.headEndDisagrees.description) }
            guard consumed < bytes.count, bytes[consumed] == 0x0A else { return .malformed(HTTPFramingGuard.Violation.bareCR.description) }
            return nil
        }
    }

    /// Nothing more is read from this connection, and no body bytes from the refused input are handed out.
    private func refuse(_ failure: HTTPParseFailure) -> Outcome {
        refused = failure
        streamed = []
        return .failed(failure)
    }

    // MARK: - Callbacks

    private func begin() -> Int32 {
        phase = .head
        head = nil
        url.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
        inValue = false
        headerBytes = 0
        body = []
        streaming = false
        bodyCount = 0
        bodyFraming = nil
        return 0
    }

    private func countHeaderBytes(_ n: Int) -> Bool {
        headerBytes += n
        if headerBytes > limits.maxHeaderBytes { return fail(.headersTooLarge) }
        return true
    }

    private func onURL(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard countHeaderBytes(bytes.count) else { return -1 }
        url.append(contentsOf: bytes)
        return 0
    }

    private func onHeaderField(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        // ": " and CRLF count once per field, however many reads its name arrives in.
        let startsField = inValue || field.isEmpty
        guard countHeaderBytes(bytes.count + (startsField ? 4 : 0)) else { return -1 }
        if inValue { commitHeader() }
        for byte in bytes where !HTTPToken.isTokenByte(byte) {
            _ = fail(.malformed("invalid byte 0x\(String(byte, radix: 16)) in a header name"))
            return -1
        }
        field.append(contentsOf: bytes)
        return 0
    }

    private func onHeaderValue(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard countHeaderBytes(bytes.count) else { return -1 }
        inValue = true
        for byte in bytes where !HTTPToken.isFieldValueByte(byte) {
            _ = fail(.malformed("invalid byte 0x\(String(byte, radix: 16)) in a header value"))
            return -1
        }
        value.append(contentsOf: bytes)
        return 0
    }

    private func commitHeader() {
        let name = String(decoding: field, as: UTF8.self)
        var start = 0, end = value.count
        while start < end, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
        while end > start, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
        headers.append((name, String(decoding: value[start..<end], as: UTF8.self)))
        field.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
        inValue = false
    }

    private func headersComplete() -> Int32 {
        if inValue || !field.isEmpty { commitHeader() }
        let p = parser.pointee
        let headers = HTTPHeaders(headers)
        let method = methodOverride ?? HTTPRequestParser.methods[Int(p.method)]
        methodOverride = nil
        let head = HTTPRequestHead(
            method: method,
            target: String(decoding: url, as: UTF8.self),
            versionMajor: Int(p.http_major),
            versionMinor: Int(p.http_minor),
            headers: headers,
            keepAlive: http_should_keep_alive(parser) != 0,
            isUpgrade: p.upgrade == 1 || (headers.contains("upgrade") && headers.hasToken("upgrade", in: "connection"))
        )
        self.head = head
        announcedContinue = headers.hasToken("100-continue", in: "expect")
        phase = .body
        let contentLength = p.flags & UInt32(F_CONTENTLENGTH.rawValue) != 0 ? p.content_length : nil
        let chunked = p.flags & UInt32(F_CHUNKED.rawValue) != 0
        bodyFraming = chunked ? .chunked : .length(contentLength ?? 0)
        // Only requests with a body ask the route table: a GET costs nothing extra.
        let hasBody = (contentLength ?? 0) > 0 || chunked
        if hasBody, !head.isUpgrade, let limit = streamedBodyLimit(head) {
            streaming = true
            bodyLimit = limit
        } else {
            bodyLimit = limits.maxBodyBytes
        }
        if let refusal = HTTPRequestParser.refusal(for: head, contentLength: contentLength, chunked: chunked, maxBodyBytes: bodyLimit) {
            _ = fail(refusal)
            return -1
        }
        if streaming {
            // Hand the head out now; the body is parsed when the connection feeds again.
            streamStarted = head
            http_parser_pause(parser, 1)
        }
        return 0
    }

    /// Body bytes of a streaming request parsed since the last call.
    func takeStreamedBody() -> [UInt8] {
        guard !streamed.isEmpty else { return [] }
        defer { streamed = [] }
        return streamed
    }

    /// Method names by http-parser's enum value, made once rather than per request.
    static let methods: [String] = (0..<64).map { String(cString: http_method_str(http_method(UInt32($0)))) }

    /// Requests refused on their head alone: smuggling vectors http-parser tolerates, and limits.
    /// `contentLength` and `chunked` are the body framing as http-parser read it.
    static func refusal(for head: HTTPRequestHead, contentLength: UInt64?, chunked: Bool, maxBodyBytes: Int) -> HTTPParseFailure? {
        let headers = head.headers
        if head.versionMajor != 1 { return .versionNotSupported(major: head.versionMajor, minor: head.versionMinor) }
        if head.method == "CONNECT" { return .unsupportedFeature("CONNECT") }
        if AbsoluteTarget.isAbsoluteForm(head.target) {
            do { _ = try AbsoluteTarget(head.target) } catch { return .malformed(error.description) }
        }
        // One pass over the fields for the common case; the rare cases below look again.
        var hosts = 0, lengths = 0, codings = 0, expects = 0
        for (name, _) in headers.fields {
            switch name.utf8.count {
            case 4 where name.equalsIgnoringASCIICase("host"): hosts += 1
            case 6 where name.equalsIgnoringASCIICase("expect"): expects += 1
            case 14 where name.equalsIgnoringASCIICase("content-length"): lengths += 1
            case 17 where name.equalsIgnoringASCIICase("transfer-encoding"): codings += 1
            default: break
            }
        }
        if head.versionMinor >= 1, hosts != 1 {
            return .malformed("an HTTP/1.1 request needs exactly one Host header")
        }
        // Transfer-Encoding, read as RFC 9110 §5.1/§5.6 and RFC 9112 §5/§6.1 say: field names and codings are
        // case-insensitive and OWS is SP or HT, so `transfer-encoding:chunked` or `Transfer-Encoding:\tChunked`
        // is plain chunked and accepted. Refused: whitespace between the name and its colon (400 in
        // `onHeaderField`, a non-token byte), obs-fold (400, `HTTPFramingGuard`), a coding list that is not
        // exactly the one token `chunked` (501 as §6.1 asks), and chunked as we read it but not as
        // http-parser did, or the reverse (400): the body must never be framed two ways.
        if codings > 0 {
            let transferEncodings = headers.values("transfer-encoding")
            if lengths > 0 { return .malformed("both Content-Length and Transfer-Encoding") }
            if head.versionMajor == 1, head.versionMinor == 0 { return .malformed("Transfer-Encoding in HTTP/1.0") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",").map { $0.trimmingASCIISpaces().lowercased() } }
            if codings != ["chunked"] { return .unsupportedFeature("transfer coding \(transferEncodings.joined(separator: ", "))") }
        }
        if (codings > 0) != chunked {
            return .malformed("Transfer-Encoding read two ways: \(headers.values("transfer-encoding").joined(separator: ", "))")
        }
        if let contentLength, contentLength > UInt64(maxBodyBytes) { return .bodyTooLarge }
        if expects > 0 {
            for expect in headers.values("expect") where !expect.equalsIgnoringASCIICase("100-continue") {
                return .expectationFailed(expect)
            }
        }
        return nil
    }

    private func onBody(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        bodyCount += bytes.count
        guard bodyCount <= bodyLimit else {
            _ = fail(.bodyTooLarge)
            return -1
        }
        if streaming { streamed.append(contentsOf: bytes) } else { body.append(contentsOf: bytes) }
        return 0
    }

    private func chunkHeader() -> Int32 {
        parsedChunkSizes.append(parser.pointee.content_length)
        return 0
    }

    private func messageComplete() -> Int32 {
        completed = (head!, streaming ? [] : body)
        body = []
        phase = .idle
        http_parser_pause(parser, 1)
        return 0
    }

    /// Records why the request is refused; always returns false so callers can `return -1` after it.
    private func fail(_ reason: HTTPParseFailure) -> Bool {
        if failure == nil { failure = reason }
        return false
    }

    // MARK: - C trampolines

    private static func owner(_ p: UnsafeMutablePointer<http_parser>?) -> HTTPRequestParser {
        Unmanaged<HTTPRequestParser>.fromOpaque(p!.pointee.data).takeUnretainedValue()
    }

    private static func buffer(_ at: UnsafePointer<CChar>?, _ n: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: at, count: n)
    }

    /// Immutable after first use; a pointer, so feeding the parser needs no access to a mutable global.
    nonisolated(unsafe) private static let settings: UnsafePointer<http_parser_settings> = {
        let pointer = UnsafeMutablePointer<http_parser_settings>.allocate(capacity: 1)
        pointer.initialize(to: http_parser_settings())
        http_parser_settings_init(pointer)
        var s = pointer.pointee
        s.on_message_begin = { owner($0).begin() }
        s.on_url = { owner($0).onURL(buffer($1, $2)) }
        s.on_header_field = { owner($0).onHeaderField(buffer($1, $2)) }
        s.on_header_value = { owner($0).onHeaderValue(buffer($1, $2)) }
        s.on_headers_complete = { owner($0).headersComplete() }
        s.on_body = { owner($0).onBody(buffer($1, $2)) }
        s.on_chunk_header = { owner($0).chunkHeader() }
        s.on_message_complete = { owner($0).messageComplete() }
        pointer.pointee = s
        return UnsafePointer(pointer)
    }()
}

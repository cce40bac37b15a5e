import FuzzSupport
@testable import OzziRuntime

/// `HTTPConnection`'s input path without the socket: the same parse loop, held input, state machine and
/// actions, with a handler that answers at once (Task.immediate lets a real one do that too). Keep it in
/// step with `HTTPConnection.received`, `parse`, `perform` and `respond`.
///
/// Besides running the parser, it checks what must hold whatever the bytes are (see README.md) and logs
/// what a client would see, so the same bytes cut differently can be compared.
final class ConnectionModel {
    /// What the connection did, in order; the differential check compares these lists.
    enum Event: Equatable {
        case request(Head, body: [UInt8])
        case streamHead(Head)
        /// The streamed body the handler got, when it ended or failed.
        case streamedBody([UInt8], ended: Bool)
        case failed(HTTPParseFailure)
        /// Every action but timer arming and 100-continue, which depend on how the input was cut.
        case action(HTTPConnectionStateMachine.Action)
        case upgraded
        case endOfInput(HTTPConnectionStateMachine.Action)

        /// Whether two runs of the same bytes agree on this event. When a request has two faults, which one
        /// is found first can depend on the reads (http-parser hands a header name to our byte checks only at
        /// its end or at the end of a read), so a refusal's reason and status may differ; that a request is
        /// refused, and where, may not. A streamed body that fails may have delivered more or less of itself.
        func agrees(with other: Event) -> Bool {
            switch (self, other) {
            case (.failed, .failed), (.action(.refuse), .action(.refuse)), (.action(.failBody), .action(.failBody)):
                true
            case (.streamedBody(let a, false), .streamedBody(let b, false)):
                a.count <= b.count ? b.starts(with: a) : a.starts(with: b)
            default:
                self == other
            }
        }
    }

    struct Head: Equatable {
        var method: String
        var target: String
        var version: [Int]
        var headers: [[String]]
        var keepAlive: Bool
        var isUpgrade: Bool

        init(_ head: HTTPRequestHead) {
            method = head.method
            target = head.target
            version = [head.versionMajor, head.versionMinor]
            headers = head.headers.fields.map { [$0.name, $0.value] }
            keepAlive = head.keepAlive
            isUpgrade = head.isUpgrade
        }
    }

    private let payload: [UInt8]
    private let options: HTTPOptions
    private let parser: HTTPRequestParser
    private var machine = HTTPConnectionStateMachine()
    private(set) var events: [Event] = []
    private var held: [UInt8] = []
    private var reading = true
    /// `isClosed || lingering` in the connection: input is dropped from here on.
    private var stopped = false
    private var upgraded = false
    private var responses = 0

    // Bookkeeping for the invariants.
    /// Payload bytes given to the parser (all of them are consumed: it never sees them twice).
    private var parsed = 0
    /// Payload bytes the connection read from the socket so far.
    private var received = 0
    private var toWebSocket = 0
    /// Where the request being read begins: after the last byte of the one before.
    private var requestStart = 0
    private var inFlight: HTTPRequestHead?
    private var streaming = false
    private var streamedBytes: [UInt8] = []
    private var handlerWaitsForBody = false
    private var continuesSent = 0

    init(payload: [UInt8], options: HTTPOptions) {
        self.payload = payload
        self.options = options
        parser = HTTPRequestParser(limits: options.limits, streamedBodyLimit: options.streamedBodyLimit)
    }

    /// Feeds the payload in `pieces` as reads from the socket, then ends the input.
    func run(_ pieces: [Range<Int>]) {
        for piece in pieces where reading {
            Fuzzer.check(piece.lowerBound == received, "pieces are contiguous")
            received = piece.upperBound
            receive(payload[piece])
        }
        end()
        Fuzzer.check(!upgraded || parsed + toWebSocket + held.count == received,
                     "an upgraded connection lost input: parsed \(parsed), websocket \(toWebSocket), held \(held.count) of \(received)")
    }

    // MARK: - HTTPConnection's input path

    private func receive(_ bytes: ArraySlice<UInt8>) {
        Fuzzer.check(!upgraded || machine.state == .upgraded, "an upgraded connection left that state: \(machine.state)")
        if stopped { return }
        if upgraded {
            toWebSocket += bytes.count
            return
        }
        if machine.state == .responding || machine.state == .upgraded {
            held.append(contentsOf: bytes)
            return
        }
        parse(bytes)
    }

    private func end() {
        guard !stopped, !upgraded else { return }
        let action = options.timerFiresAtEnd ? machine.timerFired() : machine.peerClosed()
        events.append(.endOfInput(action))
        if action == .close { stopped = true } else { perform(action) }
    }

    private func parse(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex, !stopped, machine.state != .responding, machine.state != .upgraded {
            Fuzzer.check(offset == parsed, "the parser is fed at \(offset), but it consumed \(parsed) bytes")
            let count = bytes.endIndex - offset
            let outcome = bytes[offset...].withUnsafeBytes { parser.feed($0) }
            switch outcome {
            case .needMore:
                parsed += count
                offset = bytes.endIndex
                forwardStreamedBody()
                perform(machine.parsed(phase: parser.phase, expectsContinue: parser.expectsContinue))
            case .message(let head, let body, let consumed):
                Fuzzer.check((1...count).contains(consumed), "message consumed \(consumed) of \(count) bytes")
                parsed += consumed
                offset += consumed
                forwardStreamedBody()
                checkMessage(head, body: body)
                let wasStreaming = machine.state == .streamingBody
                let action = machine.requestComplete()
                Fuzzer.check(action == (wasStreaming ? .finishBody : .dispatch), "a complete request gave \(action)")
                requestStart = parsed
                if action == .dispatch { dispatch(head, body: body) } else { perform(action) }
            case .streamHead(let head, let consumed):
                Fuzzer.check((0...count).contains(consumed), "stream head consumed \(consumed) of \(count) bytes")
                Fuzzer.check(parser.streaming, "a streamed head while the parser is not streaming")
                parsed += consumed
                offset += consumed
                checkHeadEnded(before: min(parsed + 1, payload.count), of: "streamed head")
                perform(machine.bodyStreamStarted(expectsContinue: parser.expectsContinue))
                Fuzzer.check(machine.state == .streamingBody, "a streamed head left the machine \(machine.state)")
                streaming = true
                dispatch(head, body: [], streamed: true)
            case .failed(let failure):
                forwardStreamedBody()
                events.append(.failed(failure))
                let action = machine.parseFailed(status: failure.status)
                Fuzzer.check(action == .refuse(status: failure.status) || action == .failBody(status: failure.status),
                             "a refused request gave \(action)")
                perform(action)
                return
            }
        }
        if offset < bytes.endIndex, !stopped {
            if upgraded { toWebSocket += bytes.endIndex - offset } else { held.append(contentsOf: bytes[offset...]) }
        }
    }

    private func forwardStreamedBody() {
        let chunk = parser.takeStreamedBody()
        Fuzzer.check(chunk.isEmpty || streaming, "streamed body bytes for a request that does not stream")
        streamedBytes.append(contentsOf: chunk)
        Fuzzer.check(streamedBytes.count <= parser.bodyLimit, "a streamed body passed its limit of \(parser.bodyLimit)")
    }

    private func perform(_ action: HTTPConnectionStateMachine.Action) {
        switch action {
        case .none, .dispatch, .arm:
            break
        case .sendContinueAndArm:
            continuesSent += 1
            Fuzzer.check(continuesSent == 1, "100 Continue sent twice for one request")
        default:
            events.append(.action(action))
        }
        switch action {
        case .none, .dispatch, .arm, .sendContinueAndArm:
            break
        case .resume:
            resumeHeldInput()
        case .refuse, .close:
            Fuzzer.check(machine.state == .closed, "\(action) left the machine \(machine.state)")
            stopped = true
        case .finishBody:
            endStreamedBody(ended: true)
        case .failBody:
            Fuzzer.check(machine.state == .responding && machine.draining, "a failed body left the machine \(machine.state)")
            reading = false
            endStreamedBody(ended: false)
        case .abandonBody:
            endStreamedBody(ended: false)
            stopped = true
        }
    }

    private func resumeHeldInput() {
        reading = true
        guard !held.isEmpty else { return }
        let input = held
        held = []
        // Held bytes are the ones right after what the parser consumed; parse them where they lie in the payload.
        Fuzzer.check(input.elementsEqual(payload[parsed..<(parsed + input.count)]), "held input is not the next bytes")
        parse(payload[parsed..<(parsed + input.count)])
    }

    private func endStreamedBody(ended: Bool) {
        guard streaming else { return }
        streaming = false
        events.append(.streamedBody(streamedBytes, ended: ended))
        streamedBytes = []
        if handlerWaitsForBody, let head = inFlight {
            handlerWaitsForBody = false
            respond(to: head)
        }
    }

    // MARK: - The handler

    private func dispatch(_ head: HTTPRequestHead, body: [UInt8], streamed: Bool = false) {
        events.append(streamed ? .streamHead(Head(head)) : .request(Head(head), body: body))
        inFlight = head
        continuesSent = 0
        checkRequest(head, body: body)
        if streamed, !options.answersStreamEarly {
            handlerWaitsForBody = true
            return
        }
        respond(to: head)
    }

    private func respond(to head: HTTPRequestHead) {
        if head.isUpgrade, head.target.hasPrefix("/ws"), WebSocketHandshake.acceptValue(for: head.headers) != nil {
            machine.upgraded()
            Fuzzer.check(machine.state == .upgraded, "an upgrade left the machine \(machine.state)")
            upgraded = true
            events.append(.upgraded)
            toWebSocket += held.count
            held = []
            return
        }
        let keepAlive = head.keepAlive && !machine.draining && machine.state != .streamingBody && !options.closesAfterResponse
        let action = machine.responseComplete(keepAlive: keepAlive)
        Fuzzer.check([.resume, .close, .abandonBody].contains(action), "a finished response gave \(action)")
        responses += 1
        perform(action)
        if responses == 1, options.shutsDownAfterFirstResponse, !stopped {
            perform(machine.shutdown())
        }
    }

    // MARK: - Invariants

    /// A request is handed out only once the empty line ending its head was read. http-parser (lax, as
    /// built by Debian) ends a line at LF or at CR and whatever byte follows it.
    private func checkHeadEnded(before end: Int, of what: String) {
        let region = Array(payload[requestStart..<end])
        func lineEnd(at i: Int) -> Int? {
            guard i < region.count else { return nil }
            if region[i] == 0x0A { return i + 1 }
            return region[i] == 0x0D && i + 1 < region.count ? i + 2 : nil
        }
        let ended = region.indices.contains { i in lineEnd(at: i).flatMap { lineEnd(at: $0) } != nil }
        Fuzzer.check(ended, "a \(what) came out before its head ended (bytes \(requestStart)..<\(end))")
    }

    private func checkMessage(_ head: HTTPRequestHead, body: [UInt8]) {
        if !streaming { checkHeadEnded(before: parsed, of: "message") }
        Fuzzer.check(parser.phase == .idle, "a message left the parser in phase \(parser.phase)")
        Fuzzer.check(!streaming || body.isEmpty, "a streamed request also came with a buffered body")
        Fuzzer.check(body.count <= options.limits.maxBodyBytes, "a buffered body passed max_body_bytes")
        let lengths = head.headers.values("content-length")
        if !head.headers.contains("transfer-encoding"), !streaming, lengths.count == 1,
           let length = Int(lengths[0]), lengths[0].utf8.allSatisfy(ASCII.isDigit) {
            Fuzzer.check(body.count == length, "Content-Length \(length) but a body of \(body.count) bytes")
            Fuzzer.check(body.elementsEqual(payload[(parsed - length)..<parsed]), "the body is not the request's last \(length) bytes")
        } else {
            Fuzzer.check(body.count <= parsed - requestStart, "a body longer than its request")
        }
    }

    /// What the connection builds from a head before the handler runs must not trap.
    private func checkRequest(_ head: HTTPRequestHead, body: [UInt8]) {
        let request = Request(method: head.method, target: head.target, headers: head.headers, body: body)
        Fuzzer.check(!request.path.isEmpty, "an empty path from target \(head.target.debugDescription)")
        _ = request.host
        _ = request.queryParameter("a")
        _ = PercentDecoding.decode(request.path)
        if let id = RequestID.accept(head.headers["x-request-id"]) {
            Fuzzer.check(id == head.headers["x-request-id"], "an accepted request id changed")
        }
        if let accept = WebSocketHandshake.acceptValue(for: head.headers) {
            Fuzzer.check(accept.utf8.count == 28, "a Sec-WebSocket-Accept of \(accept.utf8.count) characters")
        }
    }
}

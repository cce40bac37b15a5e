import CLibUV
import Glibc

/// One accepted TCP connection: http-parser in, responses out, with the state machine deciding.
///
/// Loop-confined: every method runs on `loop`'s thread (libuv callbacks, and handler tasks that prefer
/// the loop as their executor). `@unchecked Sendable` only so those tasks can hold a reference.
/// Hot stored properties opt out of dynamic exclusivity checks (`@exclusivity(unchecked)`): only the
/// loop thread touches them and no two accesses overlap; the checks cost about a tenth of a small request.
final class HTTPConnection: @unchecked Sendable {
    let loop: EventLoop
    let server: HTTPListener
    let remoteAddress: String
    private let tcp: UnsafeMutablePointer<uv_tcp_t>
    private let timer: UnsafeMutablePointer<uv_timer_t>
    private let parser: HTTPRequestParser
    @exclusivity(unchecked) private var machine = HTTPConnectionStateMachine()
    /// Input that arrived while a request was in flight (pipelining), parsed when its response is done.
    @exclusivity(unchecked) private var held: [UInt8] = []
    @exclusivity(unchecked) private var reading = false
    @exclusivity(unchecked) private(set) var isClosed = false
    @exclusivity(unchecked) private var lingering = false
    /// Streamed-response writers waiting for the socket's write queue to drain.
    @exclusivity(unchecked) private var drainWaiters: [CheckedContinuation<Void, Error>] = []
    @exclusivity(unchecked) private var webSocket: WebSocketConnection?
    /// The body of the request in flight, while its route reads it streamed.
    @exclusivity(unchecked) private var bodyStream: RequestBodyStream?
    /// Reading stopped because the handler has not taken what is buffered (see `RequestBodyStream`).
    @exclusivity(unchecked) private var bodyPaused = false
    /// What the connection's one timer is for. Moving a deadline only updates this; the libuv timer is
    /// re-armed when it fires early, so a keep-alive request costs no timer-heap work in the common case.
    @exclusivity(unchecked) private var deadline = Deadline.none
    /// When the libuv timer will fire (loop ms), or nil when it is stopped.
    @exclusivity(unchecked) private var timerDue: UInt64?

    private enum Deadline {
        case none
        case timeout(at: UInt64)
        case forceClose(at: UInt64)
        /// Output is waiting and the client takes none of it: closed when no write completes by then.
        case sendStall(at: UInt64)
    }

    /// How long a closing connection may take to flush and drain before it is cut.
    static let lingerMs: UInt64 = 2_000

    /// Above this many queued bytes a streaming writer waits and reading stops; below `lowWater` both resume.
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    init(loop: EventLoop, server: HTTPListener, tcp: UnsafeMutablePointer<uv_tcp_t>) {
        self.loop = loop
        self.server = server
        self.tcp = tcp
        timer = UVHandle.allocate(uv_timer_t.self)
        let handler = server.handler
        parser = HTTPRequestParser(limits: server.limits) { head in
            handler.streamedBodyLimit(method: head.method, target: head.target, headers: head.headers)
        }
        remoteAddress = HTTPConnection.peerName(tcp)
        uv_timer_init(loop.uv, timer)
        UVHandle.retain(tcp, owner: self)
        UVHandle.retain(timer, owner: self)
    }

    private var stream: UnsafeMutablePointer<uv_stream_t> { UnsafeMutableRawPointer(tcp).assumingMemoryBound(to: uv_stream_t.self) }

    func start() {
        uv_tcp_nodelay(tcp, 1)
        arm(.idle)
        startReading()
    }

    // MARK: - Reading

    private func startReading() {
        guard !reading, !isClosed, !bodyPaused, !outputBlocked else { return }
        reading = true
        uv_read_start(stream, { handle, _, buf in
            buf!.pointee = UVHandle.owner(of: handle!, as: HTTPConnection.self).loop.readBuffer
        }, { stream, n, buf in
            let connection = UVHandle.owner(of: stream!, as: HTTPConnection.self)
            if n > 0 {
                connection.received(UnsafeRawBufferPointer(start: buf!.pointee.base, count: n))
            } else if n < 0 {
                connection.readFailed(Int32(n))
            }
        })
    }

    private func stopReading() {
        guard reading else { return }
        reading = false
        uv_read_stop(stream)
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        if lingering { return }
        if let webSocket {
            webSocket.received(bytes)
            return
        }
        // Bytes already held come first: new ones queue behind them, so the stream is parsed in order.
        if machine.state == .responding || machine.state == .upgraded || !held.isEmpty {
            held.append(contentsOf: bytes)
            if held.count > server.limits.maxHeaderBytes + Self.highWater { stopReading() }
            return
        }
        parse(bytes)
    }

    private func readFailed(_ code: Int32) {
        if lingering || code != UV_EOF.rawValue {
            closeNow()
            return
        }
        if let webSocket {
            webSocket.peerClosed()
            return
        }
        // The peer is gone (or half-closed): nothing left to linger for.
        let action = machine.peerClosed()
        if action == .close { closeNow() } else { perform(action) }
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        // A client that pipelines without reading its answers is paused here: no request is taken while
        // its unsent output is over the high-water mark (or the server's budget), however fast it sends.
        // A handler that answers before it first suspends runs inside this loop; when that answer was an
        // upgrade, the rest of the bytes are the WebSocket's (a client may send frames with its handshake).
        while offset < bytes.count, !isClosed, !lingering, machine.state != .responding, machine.state != .upgraded,
              !outputBlocked {
            switch parser.feed(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .needMore:
                offset = bytes.count
                forwardStreamedBody()
                perform(machine.parsed(phase: parser.phase, expectsContinue: parser.expectsContinue))
            case .message(let head, let body, let consumed):
                offset += consumed
                forwardStreamedBody()
                let action = machine.requestComplete()
                if action == .dispatch { dispatch(head, body: body) } else { perform(action) }
            case .streamHead(let head, let consumed):
                offset += consumed
                // The state moves first: a handler that answers before its first suspension finds it streaming.
                perform(machine.bodyStreamStarted(expectsContinue: parser.expectsContinue))
                let stream = RequestBodyStream(highWater: Self.highWater, lowWater: Self.lowWater) { [loop] in
                    loop.perform { [weak self] in self?.resumeStreamedBody() }
                }
                bodyStream = stream
                dispatch(head, body: [], streamed: stream)
            case .failed(let failure):
                forwardStreamedBody()
                server.logRefusal(failure, remote: remoteAddress)
                perform(machine.parseFailed(status: failure.status), message: failure.message)
                return
            }
        }
        if offset < bytes.count, !isClosed, !lingering {
            if let webSocket {
                webSocket.received(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            } else {
                held.append(contentsOf: bytes[offset...])
            }
        }
        // Held input is taken up by `resumeHeldInput` (after the response, or once output drains);
        // reading more meanwhile would only pile it up.
        if outputBlocked || (!held.isEmpty && webSocket == nil) { stopReading() }
    }

    // MARK: - Streamed request bodies

    /// Hands the body bytes just parsed to the handler; stops reading when it falls behind.
    private func forwardStreamedBody() {
        let chunk = parser.takeStreamedBody()
        guard !chunk.isEmpty, let bodyStream else { return }
        if bodyStream.append(chunk) {
            bodyPaused = true
            stopReading()
            deadline = .none  // the client is not late: we are
        }
    }

    /// The handler caught up with a paused body: read again, under the body timer again.
    private func resumeStreamedBody() {
        guard bodyPaused, !isClosed else { return }
        bodyPaused = false
        guard machine.state == .streamingBody else { return }
        arm(.body)
        resumeHeldInput()
    }

    private func endStreamedBody(_ error: RequestBodyError?) {
        if let error { bodyStream?.fail(error) } else { bodyStream?.finish() }
        bodyStream = nil
        bodyPaused = false
    }

    // MARK: - Actions

    private func perform(_ action: HTTPConnectionStateMachine.Action, message: String? = nil) {
        switch action {
        case .none, .dispatch:
            break
        case .arm(let kind):
            arm(kind)
        case .sendContinueAndArm:
            write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            arm(.body)
        case .resume:
            arm(.idle)
            resumeHeldInput()
        case .refuse(let status):
            deadline = .none
            refuse(status: status, message: message ?? HTTPStatus.reason(status))
        case .close:
            closeGracefully()
        case .finishBody:
            deadline = .none
            endStreamedBody(nil)
        case .failBody(let status):
            deadline = .none
            stopReading()
            let error: RequestBodyError = switch status {
            case 408: .timedOut
            case 413: .tooLarge(limit: parser.bodyLimit)
            default: message.map(RequestBodyError.malformed) ?? .clientGone
            }
            endStreamedBody(error)
        case .abandonBody:
            endStreamedBody(.clientGone)
            closeGracefully()
        }
    }

    private func arm(_ kind: HTTPConnectionStateMachine.Timer) {
        if bodyPaused {
            deadline = .none
            return
        }
        let limits = server.limits
        let ms = switch kind {
        case .idle: limits.idleTimeoutMs
        case .head: limits.headerTimeoutMs
        case .body: limits.bodyTimeoutMs
        }
        setDeadline(.timeout(at: loop.now + ms))
    }

    private func setDeadline(_ new: Deadline) {
        deadline = new
        let at: UInt64
        switch new {
        case .none: return
        case .timeout(let t), .forceClose(let t), .sendStall(let t): at = t
        }
        if let due = timerDue, due <= at { return }
        startTimer(at: at)
    }

    private func startTimer(at due: UInt64) {
        timerDue = due
        let now = loop.now
        uv_timer_start(timer, { timer in
            UVHandle.owner(of: timer!, as: HTTPConnection.self).timerFired()
        }, due > now ? due - now : 0, 0)
    }

    private func timerFired() {
        timerDue = nil
        switch deadline {
        case .none:
            return
        case .timeout(let at) where at > loop.now:
            startTimer(at: at)
        case .forceClose(let at) where at > loop.now, .sendStall(let at) where at > loop.now:
            startTimer(at: at)
        case .forceClose, .sendStall:
            closeNow()
        case .timeout:
            deadline = .none
            perform(machine.timerFired(), message: "timed out waiting for the request")
        }
    }

    private func resumeHeldInput() {
        // Still behind on output: `wrote` comes back here once the client has read enough.
        guard !outputBlocked else {
            stopReading()
            return
        }
        startReading()
        guard !held.isEmpty else { return }
        let input = held
        held = []
        input.withUnsafeBytes { parse($0) }
    }

    /// Answers 503 at once: the host is at its connection limit.
    func rejectBusy() {
        machine.closed()
        refuse(status: 503, message: "the server is at its connection limit; retry shortly")
    }

    /// Writes a short JSON error and closes, as for a request refused before any handler saw it.
    private func refuse(status: Int, message: String) {
        let error = ClientError(status: status, code: HTTPConnection.errorCode(status), message: message)
        let body = error.response.bodyBytes
        var out: [UInt8] = []
        var headers: HTTPHeaders = ["content-type": "application/json"]
        if status == 503 { headers["retry-after"] = "1" }
        HTTPResponseHead.serialize(
            status: status, headers: headers, framing: .contentLength(body.count), keepAlive: false,
            http10: false, requestID: RequestID.next(), date: loop.httpDate, into: &out)
        out.append(contentsOf: body)
        write(out)
        closeGracefully()
    }

    static func errorCode(_ status: Int) -> String {
        switch status {
        case 408: "request_timeout"
        case 413: "payload_too_large"
        case 417: "expectation_failed"
        case 431: "headers_too_large"
        case 501: "not_implemented"
        case 503: "server_busy"
        case 505: "http_version_not_supported"
        default: "bad_request"
        }
    }

    // MARK: - Responding

    private func dispatch(_ head: HTTPRequestHead, body: [UInt8], streamed: RequestBodyStream? = nil) {
        if streamed == nil { deadline = .none }  // a streamed body stays under the body timer
        let id = RequestID.accept(head.headers["x-request-id"]) ?? RequestID.next()
        var request = Request(
            method: head.method, target: head.target, headers: head.headers, body: body, id: id,
            remoteAddress: remoteAddress)
        request.streamedBody = streamed
        let started = uv_hrtime()
        // Runs inline until the handler first suspends: a handler that answers at once costs no enqueue.
        Task.immediate(executorPreference: loop) { [self] in
            let handled = await server.handler.handle(request, on: loop)
            let bytes = await respond(with: handled.response, to: head, requestID: id)
            guard server.handler.wantsAccessRecords else { return }
            server.handler.didRespond(AccessRecord(
                method: request.method, path: request.path,
                status: handled.response.status, bytes: bytes, durationMicros: (uv_hrtime() - started) / 1000,
                worker: handled.worker, requestID: id, remoteAddress: remoteAddress))
        }
    }

    /// Sends `response`; returns the body bytes written.
    private func respond(with response: Response, to head: HTTPRequestHead, requestID: String) async -> Int {
        guard !isClosed else { return 0 }
        let http10 = head.versionMajor == 1 && head.versionMinor == 0
        // An answer before the streamed body ended closes the connection: the rest of the body is unread.
        var keepAlive = head.keepAlive && !machine.draining && machine.state != .streamingBody
            && !response.headers.hasToken("close", in: "connection")
        let isHead = head.method == "HEAD"
        var out: [UInt8] = []
        switch response.body {
        case .bytes(let bytes):
            out = loop.takeScratch()
            let noBody = HTTPStatus.forbidsBody(response.status)
            HTTPResponseHead.serialize(
                status: response.status, headers: response.headers,
                framing: noBody ? .none : .contentLength(bytes.count), keepAlive: keepAlive, http10: http10,
                requestID: requestID, date: loop.httpDate, into: &out)
            if !isHead && !noBody { out.append(contentsOf: bytes) }
            write(out)
            loop.returnScratch(out)
            perform(machine.responseComplete(keepAlive: keepAlive))
            return isHead || noBody ? 0 : bytes.count
        case .stream(let produce):
            if http10 { keepAlive = false }
            HTTPResponseHead.serialize(
                status: response.status, headers: response.headers, framing: http10 ? .none : .chunked,
                keepAlive: keepAlive, http10: http10, requestID: requestID, date: loop.httpDate, into: &out)
            write(out)
            if isHead {
                perform(machine.responseComplete(keepAlive: keepAlive))
                return 0
            }
            let writer = ConnectionBodyWriter(connection: self, chunked: !http10)
            do {
                try await produce(writer)
                if !http10 { write(Array("0\r\n\r\n".utf8)) }
                perform(machine.responseComplete(keepAlive: keepAlive))
            } catch {
                // Headers are gone already; the only honest signal left is to cut the connection.
                if !(error is ConnectionClosedError) { server.logStreamFailure(error, requestID: requestID) }
                closeNow()
            }
            return writer.bytesWritten
        case .webSocket(let upgrade):
            guard head.isUpgrade, let accept = WebSocketHandshake.acceptValue(for: head.headers) else {
                let refusal = ClientError(status: 426, code: "upgrade_required", message: "this route expects a WebSocket upgrade (version 13)")
                return await respond(with: refusal.response.adding(header: "sec-websocket-version", "13"), to: head, requestID: requestID)
            }
            write(WebSocketHandshake.switchingProtocols(accept: accept, requestID: requestID, date: loop.httpDate))
            machine.upgraded()
            deadline = .none
            let maxBytes = upgrade.maxMessageBytes ?? server.limits.maxWebSocketMessageBytes
            let socket = WebSocketConnection(connection: self, maxMessageBytes: maxBytes)
            webSocket = socket
            startReading()
            if !held.isEmpty {
                let input = held
                held = []
                input.withUnsafeBytes { socket.received($0) }
            }
            await socket.run(upgrade.handler)
            return 0
        }
    }

    // MARK: - Writing

    /// Queued output bytes not yet taken by the kernel.
    var queuedBytes: Int { Int(uv_stream_get_write_queue_size(stream)) }

    /// Too much unsent output: above this connection's high-water mark, or any at all while the server
    /// is over its budget. Reading new requests and streaming writers wait until it clears.
    private var outputBlocked: Bool {
        let queued = queuedBytes
        return queued > Self.highWater || (queued > 0 && server.output.isExhausted)
    }

    /// Caught up enough to take work again (below the low-water mark, so the pause does not flap).
    private var outputDrained: Bool {
        let queued = queuedBytes
        return queued < Self.lowWater && !(queued > 0 && server.output.isExhausted)
    }

    /// Bytes of a queued write, stored after its `uv_write_t` so the completion can return them to the budget.
    private static let writeHeader = MemoryLayout<uv_write_t>.stride + MemoryLayout<Int>.stride

    /// Writes `bytes`, directly when the socket takes them, else queued; never blocks.
    func write(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        var offset = 0
        if queuedBytes == 0 {
            let n = bytes.withUnsafeBytes { raw -> Int32 in
                var buf = uv_buf_init(UnsafeMutableRawPointer(mutating: raw.baseAddress!).assumingMemoryBound(to: CChar.self), UInt32(raw.count))
                return uv_try_write(stream, &buf, 1)
            }
            if n == bytes.count { return }
            if n > 0 {
                offset = Int(n)
            } else if n != UV_EAGAIN.rawValue {
                closeNow()
                return
            }
        }
        let count = bytes.count - offset
        let request = malloc(Self.writeHeader + count)!
        (request + MemoryLayout<uv_write_t>.stride).storeBytes(of: count, as: Int.self)
        let payload = request + Self.writeHeader
        bytes.withUnsafeBytes { payload.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        var buf = uv_buf_init(payload.assumingMemoryBound(to: CChar.self), UInt32(count))
        let rc = uv_write(request.assumingMemoryBound(to: uv_write_t.self), stream, &buf, 1) { request, status in
            let stream = request!.pointee.handle!
            let count = (UnsafeMutableRawPointer(request!) + MemoryLayout<uv_write_t>.stride).load(as: Int.self)
            free(request)
            UVHandle.owner(of: stream, as: HTTPConnection.self).wrote(status: status, count: count)
        }
        if rc != 0 {
            free(request)
            closeNow()
            return
        }
        server.output.add(count)
        if outputBlocked {
            stopReading()
            // A client that reads nothing must not hold its connection (and its share of the output
            // budget) for ever: with no other deadline running (a response in flight), this one cuts it.
            if case .none = deadline { setDeadline(.sendStall(at: loop.now + server.limits.idleTimeoutMs)) }
        }
    }

    private func wrote(status: Int32, count: Int) {
        server.output.remove(count)
        if status < 0 {
            closeNow()
            return
        }
        if case .sendStall = deadline {
            // Progress: the client reads. Nothing left to send, nothing to watch.
            if queuedBytes == 0 { deadline = .none } else { setDeadline(.sendStall(at: loop.now + server.limits.idleTimeoutMs)) }
        }
        guard outputDrained else { return }
        let waiters = drainWaiters
        drainWaiters = []
        for waiter in waiters { waiter.resume() }
        if webSocket != nil || lingering {
            startReading()
        } else if machine.state != .responding {
            // Requests held back while the client was behind are taken now.
            resumeHeldInput()
        }
    }

    /// Resumes once the write queue is below the high-water mark (at once if it already is).
    /// Callable from any thread.
    func waitForDrain() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            loop.perform { [self] in
                if isClosed {
                    continuation.resume(throwing: ConnectionClosedError())
                } else if outputBlocked {
                    drainWaiters.append(continuation)
                } else {
                    continuation.resume()
                }
            }
        }
    }

    /// Writes one piece of a streamed body, chunk-framed when `chunked`. Callable from any thread.
    func writeBody(_ bytes: [UInt8], chunked: Bool) async throws {
        let written = await loop.submit { [self] () -> Bool in
            guard !isClosed else { return false }
            if chunked {
                var framed = Array(String(bytes.count, radix: 16).utf8)
                framed.reserveCapacity(framed.count + bytes.count + 4)
                framed.append(contentsOf: [13, 10])
                framed.append(contentsOf: bytes)
                framed.append(contentsOf: [13, 10])
                write(framed)
            } else {
                write(bytes)
            }
            return true
        }
        guard written else { throw ConnectionClosedError() }
        try await waitForDrain()
    }

    /// Closes the connection after `milliseconds` unless it closed before (a close handshake's deadline).
    func closeAfter(milliseconds: UInt64) {
        guard !isClosed else { return }
        setDeadline(.forceClose(at: loop.now + milliseconds))
    }

    // MARK: - Closing

    /// Flushes queued writes, half-closes, then drains the peer's input briefly before closing, so a
    /// client still sending (a refused large body) reads our answer instead of a reset.
    func closeGracefully() {
        guard !isClosed, !lingering else { return }
        lingering = true
        let request = UVHandle.allocate(uv_shutdown_t.self)
        let rc = uv_shutdown(request, stream) { request, status in
            let stream = request!.pointee.handle!
            free(request)
            let connection = UVHandle.owner(of: stream, as: HTTPConnection.self)
            if status < 0 { connection.closeNow() } else { connection.linger() }
        }
        if rc != 0 {
            free(request)
            closeNow()
            return
        }
        // The shutdown completes only once queued output is written: a client still reading gets it all,
        // one that reads nothing is cut when no write completes for the idle timeout.
        if queuedBytes > 0 { setDeadline(.sendStall(at: loop.now + server.limits.idleTimeoutMs)) }
    }

    private func linger() {
        closeAfter(milliseconds: Self.lingerMs)
        startReading()
    }

    /// Closes both handles at once; pending writes are cancelled.
    func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        machine.closed()
        reading = false
        endStreamedBody(.clientGone)
        UVHandle.close(timer)
        UVHandle.close(tcp)
        let waiters = drainWaiters
        drainWaiters = []
        for waiter in waiters { waiter.resume(throwing: ConnectionClosedError()) }
        webSocket?.transportClosed()
        webSocket = nil  // the session holds this connection; dropping it here breaks the cycle
        server.connectionClosed(self)
    }

    /// Shutdown began: close if idle, else after the response in flight.
    func beginShutdown() {
        if let webSocket {
            webSocket.goingAway()
            return
        }
        perform(machine.shutdown())
    }

    private static func peerName(_ tcp: UnsafeMutablePointer<uv_tcp_t>) -> String {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { uv_tcp_getpeername(tcp, $0, &length) }
        }
        guard rc == 0 else { return "unknown" }
        return SocketAddress.describe(storage)
    }
}

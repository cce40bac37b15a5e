import CWslay

/// wslay's event API over one upgraded HTTP connection: framing, masking, fragment reassembly, ping/pong
/// and the close handshake are wslay's; delivery, UTF-8 checks and back-pressure are ours.
///
/// Loop-confined to `connection.loop`; `WebSocket` hops there for every call.
final class WebSocketConnection: @unchecked Sendable {
    let connection: any WebSocketTransport
    private var context: wslay_event_context_ptr?
    private var input: UnsafeRawBufferPointer?
    /// Messages delivered and not yet taken; readable so the fuzz target sees what a handler would.
    private(set) var inbox: [WebSocketMessage] = []
    private var inboxBytes = 0
    private var waiter: CheckedContinuation<WebSocketMessage?, Never>?
    private(set) var finished = false
    private let maxMessageBytes: Int
    /// The close code the peer sent, once it did.
    private(set) var peerCloseCode: UInt16?

    init(connection: any WebSocketTransport, maxMessageBytes: Int) {
        self.connection = connection
        self.maxMessageBytes = maxMessageBytes
        let user = Unmanaged.passUnretained(self).toOpaque()
        withUnsafePointer(to: &WebSocketConnection.callbacks) {
            _ = wslay_event_context_server_init(&context, $0, user)
        }
        wslay_event_config_set_max_recv_msg_length(context, UInt64(maxMessageBytes))
    }

    deinit {
        wslay_event_context_free(context)
    }

    /// Runs the worker's handler for the life of the socket, then closes it politely.
    func run(_ handler: @Sendable (WebSocket) async throws -> Void) async {
        let socket = WebSocket(connection: self)
        do {
            try await handler(socket)
            close(code: WebSocketCloseCode.normal, reason: "")
        } catch {
            close(code: WebSocketCloseCode.internalError, reason: "handler failed")
        }
    }

    // MARK: - Input

    func received(_ bytes: UnsafeRawBufferPointer) {
        guard !finished else { return }
        input = bytes
        let rc = wslay_event_recv(context)
        input = nil
        if rc != 0 {
            fail()
            return
        }
        flush()
    }

    func peerClosed() {
        finish()
        connection.closeNow()
    }

    func transportClosed() {
        finish()
    }

    /// Server shutdown: tell the peer we are going away.
    func goingAway() {
        close(code: WebSocketCloseCode.goingAway, reason: "server shutting down")
    }

    private func readInto(_ buffer: UnsafeMutablePointer<UInt8>, _ length: Int) -> Int {
        guard let remaining = input, !remaining.isEmpty else {
            wslay_event_set_error(context, Int32(WSLAY_ERR_WOULDBLOCK.rawValue))
            return -1
        }
        let n = min(length, remaining.count)
        buffer.update(from: remaining.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        input = UnsafeRawBufferPointer(rebasing: remaining[n...])
        return n
    }

    private func messageReceived(opcode: UInt8, bytes: UnsafeBufferPointer<UInt8>, statusCode: UInt16) {
        switch opcode {
        case UInt8(WSLAY_TEXT_FRAME.rawValue):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                close(code: WebSocketCloseCode.invalidPayload, reason: "text message is not valid UTF-8")
                return
            }
            deliver(.text(text), size: bytes.count)
        case UInt8(WSLAY_BINARY_FRAME.rawValue):
            deliver(.binary(Array(bytes)), size: bytes.count)
        case UInt8(WSLAY_CONNECTION_CLOSE.rawValue):
            peerCloseCode = statusCode == 0 ? 1005 : statusCode
        default:
            break  // ping and pong are answered by wslay itself
        }
    }

    private func deliver(_ message: WebSocketMessage, size: Int) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: message)
            return
        }
        inbox.append(message)
        inboxBytes += size
    }

    /// The next message, or nil once the socket is closed.
    func nextMessage() async -> WebSocketMessage? {
        await withCheckedContinuation { continuation in
            connection.loop.perform { [self] in
                if !inbox.isEmpty {
                    let message = inbox.removeFirst()
                    inboxBytes -= message.size
                    continuation.resume(returning: message)
                } else if finished || wslay_event_get_read_enabled(context) == 0 {
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                }
            }
        }
    }

    // MARK: - Output

    /// Queues a data message; returns false when the socket is closing or closed.
    func send(_ message: WebSocketMessage) -> Bool {
        guard !finished else { return false }
        let (opcode, bytes): (UInt8, [UInt8]) = switch message {
        case .text(let text): (UInt8(WSLAY_TEXT_FRAME.rawValue), Array(text.utf8))
        case .binary(let bytes): (UInt8(WSLAY_BINARY_FRAME.rawValue), bytes)
        }
        let rc = bytes.withUnsafeBufferPointer { buffer in
            var msg = wslay_event_msg(opcode: opcode, msg: buffer.baseAddress, msg_length: buffer.count)
            return wslay_event_queue_msg(context, &msg)
        }
        guard rc == 0 else { return false }
        flush()
        return true
    }

    func ping() {
        guard !finished else { return }
        var msg = wslay_event_msg(opcode: UInt8(WSLAY_PING.rawValue), msg: nil, msg_length: 0)
        _ = wslay_event_queue_msg(context, &msg)
        flush()
    }

    /// Starts the close handshake; the TCP connection closes when the peer answers (or after 5 s).
    func close(code: UInt16, reason: String) {
        guard !finished else { return }
        let reasonBytes = Array(reason.utf8.prefix(120))
        _ = wslay_event_queue_close(context, code, reasonBytes, reasonBytes.count)
        flush()
        if !finished { connection.closeAfter(milliseconds: 5_000) }
    }

    private func flush() {
        while wslay_event_want_write(context) != 0 {
            if wslay_event_send(context) != 0 {
                fail()
                return
            }
        }
        if wslay_event_want_read(context) == 0, wslay_event_want_write(context) == 0 {
            finish()
            connection.closeGracefully()
        }
    }

    private func writeOut(_ data: UnsafePointer<UInt8>, _ length: Int) -> Int {
        connection.write(Array(UnsafeBufferPointer(start: data, count: length)))
        return length
    }

    private func fail() {
        finish()
        connection.closeNow()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: inbox.isEmpty ? nil : inbox.removeFirst())
        }
    }

    // MARK: - C trampolines

    private static func owner(_ user: UnsafeMutableRawPointer?) -> WebSocketConnection {
        Unmanaged<WebSocketConnection>.fromOpaque(user!).takeUnretainedValue()
    }

    nonisolated(unsafe) private static var callbacks = wslay_event_callbacks(
        recv_callback: { _, buf, len, _, user in owner(user).readInto(buf!, len) },
        send_callback: { _, data, len, _, user in owner(user).writeOut(data!, len) },
        genmask_callback: nil,
        on_frame_recv_start_callback: nil,
        on_frame_recv_chunk_callback: nil,
        on_frame_recv_end_callback: nil,
        on_msg_recv_callback: { _, arg, user in
            let arg = arg!.pointee
            owner(user).messageReceived(
                opcode: arg.opcode, bytes: UnsafeBufferPointer(start: arg.msg, count: arg.msg_length),
                statusCode: arg.status_code)
        }
    )
}

extension WebSocketMessage {
    var size: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.count
        }
    }
}

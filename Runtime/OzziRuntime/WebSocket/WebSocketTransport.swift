/// What a WebSocket session needs from the connection under it: `HTTPConnection` on a socket, an
/// in-memory buffer in the fuzz target (fuzz/websocket).
protocol WebSocketTransport: AnyObject, Sendable {
    var loop: EventLoop { get }
    func write(_ bytes: [UInt8])
    func closeNow()
    func closeGracefully()
    func closeAfter(milliseconds: UInt64)
    func waitForDrain() async throws
}

extension HTTPConnection: WebSocketTransport {}

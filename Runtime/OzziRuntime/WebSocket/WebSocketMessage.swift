/// A complete WebSocket data message (fragments are reassembled before delivery).
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}

/// What a worker's `Response.webSocket` carries: the session handler and its limits.
public struct WebSocketUpgrade: Sendable {
    /// Largest message accepted from the peer; beyond it the socket closes with 1009. Nil: the server's limit.
    public var maxMessageBytes: Int?
    public var handler: @Sendable (WebSocket) async throws -> Void
}

/// RFC 6455 close codes the runtime uses.
public enum WebSocketCloseCode {
    public static let normal: UInt16 = 1000
    public static let goingAway: UInt16 = 1001
    public static let protocolError: UInt16 = 1002
    public static let invalidPayload: UInt16 = 1007
    public static let messageTooBig: UInt16 = 1009
    public static let internalError: UInt16 = 1011
}

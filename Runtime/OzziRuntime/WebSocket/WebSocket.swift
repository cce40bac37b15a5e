/// A worker's end of an accepted WebSocket: read messages, send messages, close.
///
/// Safe to use from any task; every call hops to the connection's loop.
public struct WebSocket: Sendable {
    let connection: WebSocketConnection

    /// Tells sockets apart (a session that outlives one socket knows whether the one closing is its current one).
    public var id: ObjectIdentifier { ObjectIdentifier(connection) }

    /// The peer's messages, in order; the sequence ends when the socket closes.
    public var messages: Messages { Messages(connection: connection) }

    /// Sends a message; suspends while the peer is not reading fast enough.
    public func send(_ message: WebSocketMessage) async throws {
        let queued = await connection.connection.loop.submit { connection.send(message) }
        guard queued else { throw ConnectionClosedError() }
        try await connection.connection.waitForDrain()
    }

    public func send(text: String) async throws {
        try await send(.text(text))
    }

    public func send(binary: [UInt8]) async throws {
        try await send(.binary(binary))
    }

    /// Sends a ping; the peer's pong is handled by the runtime.
    public func ping() async {
        await connection.connection.loop.submit { connection.ping() }
    }

    /// Starts the close handshake with `code`.
    public func close(code: UInt16 = WebSocketCloseCode.normal, reason: String = "") async {
        await connection.connection.loop.submit { connection.close(code: code, reason: reason) }
    }

    /// The close code the peer sent, if it has closed.
    public var peerCloseCode: UInt16? {
        get async { await connection.connection.loop.submit { connection.peerCloseCode } }
    }

    public struct Messages: AsyncSequence, Sendable {
        let connection: WebSocketConnection

        public func makeAsyncIterator() -> Iterator {
            Iterator(connection: connection)
        }

        public struct Iterator: AsyncIteratorProtocol {
            let connection: WebSocketConnection

            public mutating func next() async -> WebSocketMessage? {
                await connection.nextMessage()
            }
        }
    }
}

import OzziRuntime

/// Where a session's messages come from and go: Twilio's WebSocket, or the simulated call's in-process
/// pair (`SimulatedRelay`), which speaks the same messages without a socket.
protocol RelayTransport: Sendable {
    /// Tells transports apart (a reconnect replaces the one a session serves).
    var id: ObjectIdentifier { get }
    /// The peer's text messages; ends when the transport closes.
    func texts() -> AsyncStream<String>
    func send(_ text: String) async throws
}

/// The ConversationRelay WebSocket.
struct SocketRelay: RelayTransport {
    let socket: WebSocket

    var id: ObjectIdentifier { socket.id }

    func texts() -> AsyncStream<String> {
        let socket = self.socket
        return AsyncStream { continuation in
            let task = Task {
                for await message in socket.messages {
                    if case .text(let text) = message { continuation.yield(text) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func send(_ text: String) async throws {
        try await socket.send(text: text)
    }
}

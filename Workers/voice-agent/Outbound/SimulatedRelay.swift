import OzziRuntime

/// A ConversationRelay connection without a socket: the simulated callee on one end, the call's session
/// on the other, the same text messages in both directions.
final class SimulatedRelay: RelayTransport, Sendable {
    private let toSession: AsyncStream<String>
    private let toSessionInput: AsyncStream<String>.Continuation
    /// What the session sent, for the callee to read.
    let replies: AsyncStream<String>
    private let replyInput: AsyncStream<String>.Continuation

    init() {
        (toSession, toSessionInput) = AsyncStream<String>.makeStream()
        (replies, replyInput) = AsyncStream<String>.makeStream()
    }

    var id: ObjectIdentifier { ObjectIdentifier(self) }

    func texts() -> AsyncStream<String> { toSession }

    func send(_ text: String) async throws {
        replyInput.yield(text)
    }

    /// The callee says something (a ConversationRelay message from "Twilio").
    func say(_ message: JSONValue) {
        toSessionInput.yield(message.jsonText)
    }

    /// The callee hangs up: the session's transport closes.
    func hangUp() {
        toSessionInput.finish()
        replyInput.finish()
    }
}

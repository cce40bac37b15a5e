import FoundationEssentials
import Synchronization

/// One delivered message. `ack()` and `retry()` decide its fate; with neither, it is acknowledged when
/// the `queue` hook returns and retried when the hook throws (Cloudflare's rules).
public struct QueueMessage: Sendable {
    public let id: String
    /// When the message was sent.
    public let timestamp: Date
    public let body: JSONValue
    /// Deliveries so far, this one included.
    public let attempts: Int
    let outcome: BatchOutcome

    public func ack() {
        outcome.decide(id, .ack)
    }

    /// Redelivers later: after `delaySeconds`, or after the consumer's backoff when nil.
    public func retry(delaySeconds: Double? = nil) {
        outcome.decide(id, .retry(delaySeconds: delaySeconds))
    }

    /// Moves the message to the consumer's dead-letter queue now, without further attempts: for a
    /// message that can never succeed (a payload that does not decode). Dropped when there is none.
    public func deadLetter() {
        outcome.decide(id, .deadLetter)
    }

    /// The body decoded as `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decoder().decode(type, from: Data(body.jsonBytes))
    }
}

/// A batch handed to a worker's `queue` hook.
public struct MessageBatch: Sendable {
    public let queue: String
    public let messages: [QueueMessage]
    let outcome: BatchOutcome

    public func ackAll() {
        for message in messages { message.ack() }
    }

    public func retryAll(delaySeconds: Double? = nil) {
        for message in messages { message.retry(delaySeconds: delaySeconds) }
    }
}

/// Per-message decisions made during a batch; the last call for a message wins.
final class BatchOutcome: Sendable {
    enum Decision: Sendable, Equatable {
        case ack
        case retry(delaySeconds: Double?)
        case deadLetter
    }

    private let decisions = Mutex<[String: Decision]>([:])

    func decide(_ id: String, _ decision: Decision) {
        decisions.withLock { $0[id] = decision }
    }

    var all: [String: Decision] { decisions.withLock { $0 } }
}

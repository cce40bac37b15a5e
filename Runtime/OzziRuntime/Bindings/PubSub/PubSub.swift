import Synchronization

/// In-process publish/subscribe for live updates (SSE, WebSocket) across workers; the embedded engine of
/// `PubSubBroker` (`RedisPubSub` is the one across hosts).
///
/// Each subscriber has a bounded buffer: when it falls behind, the oldest messages are dropped and
/// counted, so a slow reader never grows memory without bound.
public final class PubSub: PubSubBroker {
    private let subscribers = Mutex<[String: [UInt64: Subscriber]]>([:])
    private let nextID = Atomic<UInt64>(0)
    public let bufferSize: Int
    /// Told (on any thread) when a topic loses its last subscriber: a broker across hosts stops listening.
    private let topicEmptied: (@Sendable (PubSub, String) -> Void)?

    public convenience init(bufferSize: Int = 256) {
        self.init(bufferSize: bufferSize, topicEmptied: nil)
    }

    init(bufferSize: Int, topicEmptied: (@Sendable (PubSub, String) -> Void)?) {
        self.bufferSize = bufferSize
        self.topicEmptied = topicEmptied
    }

    /// Delivers `message` to every current subscriber of `topic`; returns how many there were.
    @discardableResult
    public func publish(_ topic: String, _ message: JSONValue) -> Int {
        let targets = subscribers.withLock { Array(($0[topic] ?? [:]).values) }
        for subscriber in targets {
            if case .dropped = subscriber.continuation.yield(message) {
                subscriber.dropped.add(1, ordering: .relaxed)
            }
        }
        return targets.count
    }

    /// A subscription to `topic`; iterate its `messages`. It ends when the iteration is cancelled or the
    /// subscription is released.
    public func subscribe(_ topic: String) -> Subscription {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<JSONValue>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let subscriber = Subscriber(continuation: continuation)
        subscribers.withLock { $0[topic, default: [:]][id] = subscriber }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let emptied = subscribers.withLock { table in
                table[topic]?[id] = nil
                guard table[topic]?.isEmpty == true else { return false }
                table[topic] = nil
                return true
            }
            if emptied { topicEmptied?(self, topic) }
        }
        return Subscription(messages: stream, subscriber: subscriber)
    }

    /// Ends every subscription (the host is shutting down); later subscriptions work as before.
    public func finishAll() {
        let all = subscribers.withLock { $0.values.flatMap(\.values) }
        for subscriber in all { subscriber.continuation.finish() }
    }

    /// Subscribers of `topic` right now.
    public func subscriberCount(_ topic: String) -> Int {
        subscribers.withLock { $0[topic]?.count ?? 0 }
    }

    final class Subscriber: Sendable {
        let continuation: AsyncStream<JSONValue>.Continuation
        let dropped = Atomic<Int>(0)

        init(continuation: AsyncStream<JSONValue>.Continuation) {
            self.continuation = continuation
        }
    }
}

/// One subscriber's view: the messages, and how many were dropped because it read too slowly.
public struct Subscription: Sendable {
    public let messages: AsyncStream<JSONValue>
    let subscriber: PubSub.Subscriber

    /// Messages dropped (oldest first) while this subscriber's buffer was full.
    public var dropped: Int { subscriber.dropped.load(ordering: .relaxed) }

    /// Ends the subscription.
    public func cancel() {
        subscriber.continuation.finish()
    }
}

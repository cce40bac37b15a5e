/// The pub/sub binding's engine: in this process (`PubSub`, the embedded default) or across hosts
/// (`RedisPubSub`). Messages of one topic arrive in the order they were published.
public protocol PubSubBroker: Sendable {
    /// Delivers `message` to every subscriber of `topic`; returns how many received it (in-process: the
    /// subscribers; on Redis: the subscribed hosts).
    @discardableResult
    func publish(_ topic: String, _ message: JSONValue) async throws -> Int

    /// A subscription to `topic` that receives every message published after this returns; iterate its
    /// `messages`. It ends when the iteration is cancelled or the subscription is cancelled.
    func subscribe(_ topic: String) async throws -> Subscription

    /// Subscribers of `topic` in this process right now.
    func subscriberCount(_ topic: String) -> Int

    /// Ends every subscription in this process (the host is shutting down).
    func finishAll()
}

/// The pub/sub binding across hosts: a message published on any host reaches the subscribers of every host.
///
/// Each host subscribes to a Redis channel once per topic it has subscribers for, and fans each message out
/// to them in process (so a thousand SSE clients of one topic cost one Redis subscription). One Redis
/// connection carries a host's subscriptions, and Redis keeps a channel's messages in the order they were
/// published, so each topic's messages arrive in order.
public final class RedisPubSub: PubSubBroker {
    private let client: RedisClient
    private let local: PubSub
    /// Prepended to each topic to name its Redis channel, so the binding's channels stay apart from others.
    private let channelPrefix: String

    public init(client: RedisClient, bufferSize: Int = 256, channelPrefix: String = "ozzi:pubsub:") {
        self.client = client
        self.channelPrefix = channelPrefix
        local = PubSub(bufferSize: bufferSize) { local, topic in
            // Checked again on the loop: a subscriber may have come back since the last one left.
            client.unsubscribe(channelPrefix + topic, unless: { local.subscriberCount(topic) > 0 })
        }
    }

    @discardableResult
    public func publish(_ topic: String, _ message: JSONValue) async throws -> Int {
        try await client.publish(channelPrefix + topic, message.jsonBytes)
    }

    public func subscribe(_ topic: String) async throws -> Subscription {
        // Registered here first, so the topic cannot look empty (and be unsubscribed) while Redis answers.
        let subscription = local.subscribe(topic)
        do {
            try await client.subscribe(channelPrefix + topic) { [local] message in
                // Anything else on the channel is not ours to deliver.
                guard let value = try? JSONValue(jsonBytes: message.payload) else { return }
                local.publish(topic, value)
            }
        } catch {
            subscription.cancel()
            throw error
        }
        return subscription
    }

    public func subscriberCount(_ topic: String) -> Int {
        local.subscriberCount(topic)
    }

    public func finishAll() {
        local.finishAll()
    }
}

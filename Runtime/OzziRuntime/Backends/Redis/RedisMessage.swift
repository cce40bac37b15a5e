/// A message a subscription received: its channel, the pattern that matched it (for pattern
/// subscriptions), and its payload.
public struct RedisMessage: Sendable, Equatable {
    public let channel: String
    public let pattern: String?
    public let payload: [UInt8]

    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }
}

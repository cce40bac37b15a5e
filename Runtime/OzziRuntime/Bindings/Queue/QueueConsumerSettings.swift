/// `[[workers.queues.consumers]]`: how a worker consumes one queue.
public struct QueueConsumerSettings: Sendable, Equatable {
    public var queue: String
    /// Most messages per `queue()` call.
    public var maxBatchSize = 10
    /// Longest wait for a batch to fill once a message is due, in seconds (Cloudflare's default, 5).
    public var maxBatchTimeout: Double = 5
    /// Redeliveries after the first delivery before a message is dead-lettered (or dropped).
    public var maxRetries = 3
    public var deadLetterQueue: String?
    /// Backoff base for retries without an explicit delay, in seconds.
    public var retryDelay: Double = 1

    public init(queue: String) {
        self.queue = queue
    }
}

import Synchronization

/// A registry's consumers by queue, for waking those of one queue when a message is sent to it.
final class QueueConsumerList: Sendable {
    private let consumers = Mutex<[String: [QueueConsumer]]>([:])

    func add(_ consumer: QueueConsumer) {
        consumers.withLock { $0[consumer.settings.queue, default: []].append(consumer) }
    }

    var all: [QueueConsumer] { consumers.withLock { $0.values.flatMap { $0 } } }

    func wake(_ queue: String) {
        for consumer in consumers.withLock({ $0[queue] ?? [] }) { consumer.waker.wake() }
    }

    /// Wakes every consumer to look again (after missing notifications).
    func wakeAll() {
        for consumer in all { consumer.waker.wake() }
    }
}

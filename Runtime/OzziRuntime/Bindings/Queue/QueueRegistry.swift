import Synchronization

/// The host's queues by name: one SQLite file each under `<data dir>/queues/`, shared by every
/// producer and consumer binding that names the queue.
public final class QueueRegistry: Sendable {
    private let directory: String
    private let clock: any WallClock
    private let stores = Mutex<[String: QueueStore]>([:])
    private let consumers = Mutex<[String: [QueueConsumer]]>([:])

    public init(directory: String, clock: any WallClock = SystemClock()) throws {
        self.directory = directory
        self.clock = clock
        try WorkerHost.makeDirectory(directory)
    }

    func store(_ name: String) throws -> QueueStore {
        try stores.withLock { stores in
            if let store = stores[name] { return store }
            let store = try QueueStore(name: name, path: "\(directory)/\(name).sqlite", clock: clock)
            stores[name] = store
            return store
        }
    }

    /// The producer binding for `queue` (also for building a worker's bindings by hand, in tests and tools).
    public func producer(_ queue: String) throws -> QueueProducer {
        QueueSender(store: try store(queue), registry: self)
    }

    func register(_ consumer: QueueConsumer) {
        consumers.withLock { $0[consumer.settings.queue, default: []].append(consumer) }
    }

    var allConsumers: [QueueConsumer] { consumers.withLock { $0.values.flatMap { $0 } } }

    fileprivate func sent(to queue: String) {
        for consumer in consumers.withLock({ $0[queue] ?? [] }) { consumer.waker.wake() }
    }

    /// Messages waiting in `queue`.
    public func depth(_ queue: String) async throws -> Int {
        try await store(queue).count()
    }

    var wallClock: any WallClock { clock }

    /// Every queue this host has opened, by name.
    var openStores: [QueueStore] { stores.withLock { Array($0.values) } }
}

/// A producer binding: stores the batch, then wakes the queue's consumers.
struct QueueSender: QueueProducer {
    let store: QueueStore
    let registry: QueueRegistry

    func sendBatch(_ messages: [OutgoingMessage]) async throws {
        guard messages.count <= 100 else { throw QueueError.tooManyMessages(messages.count) }
        guard !messages.isEmpty else { return }
        _ = try await store.insert(messages)
        registry.sent(to: store.name)
    }
}

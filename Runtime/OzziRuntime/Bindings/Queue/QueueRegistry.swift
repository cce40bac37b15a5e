import FoundationEssentials
import Logging
import Synchronization

/// The host's queues by name, shared by every producer and consumer binding that names the queue: one
/// SQLite file each under a directory (one host), or one PostgreSQL database that many hosts share.
///
/// On PostgreSQL a send wakes the queue's consumers on every host at once through LISTEN/NOTIFY; the
/// registry's listening connection and thread run until `shutdown()` (or its `run()` is asked to stop).
public final class QueueRegistry: Service {
    private enum Engine {
        case sqlite(directory: String)
        case postgres(database: PostgresDatabase, owner: String, leaseMilliseconds: Int64, listener: PostgresListener)
    }

    private let engine: Engine
    private let clock: any WallClock
    private let stores = Mutex<[String: any QueueStorage]>([:])
    private let consumers: QueueConsumerList

    public init(directory: String, clock: any WallClock = SystemClock()) throws {
        engine = .sqlite(directory: directory)
        self.clock = clock
        consumers = QueueConsumerList()
        try WorkerHost.makeDirectory(directory)
    }

    /// Queues in the `ozzi_queues` schema of the PostgreSQL database at `url`, shared with every host
    /// given the same URL. A batch leased by a host that stops without settling it is delivered again
    /// `leaseSeconds` after its lease, by any host. Connects before returning: an unreachable server is an
    /// error naming the URL, password masked.
    public init(postgres url: String, clock: any WallClock = SystemClock(), leaseSeconds: Double = 300,
                connections: Int = 4, logger: Logger = Logger(label: "ozzi.queues")) throws {
        self.clock = clock
        let database = try PostgresDatabase(url: url, schema: PostgresQueueStore.schema, connections: connections)
        try PostgresQueueStore.createTable(in: database)
        let consumers = QueueConsumerList()
        self.consumers = consumers
        let listener = try PostgresListener(
            url: url, channel: PostgresQueueStore.channel, logger: logger,
            onNotify: { queue in consumers.wake(queue) }, onReconnect: { consumers.wakeAll() })
        engine = .postgres(database: database, owner: UUID().uuidString, leaseMilliseconds: Int64(leaseSeconds * 1000), listener: listener)
    }

    deinit {
        shutdown()
    }

    /// Stops listening for other hosts' sends (PostgreSQL); local sends still wake local consumers.
    /// Returns once the listening thread has ended.
    public func shutdown() {
        if case .postgres(_, _, _, let listener) = engine { listener.stop() }
    }

    /// Closes the PostgreSQL pool, after `shutdown`: when the host stops.
    public func close() {
        shutdown()
        if case .postgres(let database, _, _, _) = engine { database.close() }
    }

    /// Listens until asked to stop, then stops listening: run it before the consumers (so it stops after
    /// them) in a host's services.
    public func run() async {
        try? await gracefulShutdown()
        shutdown()
    }

    func store(_ name: String) throws -> any QueueStorage {
        try stores.withLock { stores in
            if let store = stores[name] { return store }
            let store: any QueueStorage = switch engine {
            case .sqlite(let directory):
                try SQLiteQueueStore(name: name, path: "\(directory)/\(name).sqlite", clock: clock)
            case .postgres(let database, let owner, let leaseMilliseconds, _):
                PostgresQueueStore(name: name, database: database, owner: owner, leaseMilliseconds: leaseMilliseconds, clock: clock)
            }
            stores[name] = store
            return store
        }
    }

    /// The producer binding for `queue` (also for building a worker's bindings by hand, in tests and tools).
    public func producer(_ queue: String) throws -> QueueProducer {
        QueueSender(store: try store(queue), registry: self)
    }

    func register(_ consumer: QueueConsumer) {
        consumers.add(consumer)
    }

    var allConsumers: [QueueConsumer] { consumers.all }

    fileprivate func sent(to queue: String) {
        consumers.wake(queue)
    }

    /// Messages waiting in `queue`.
    public func depth(_ queue: String) async throws -> Int {
        try await store(queue).count()
    }

    /// Messages in `queue` due now or held by a consumer (`QueueStorage.unfinished`).
    public func unfinished(_ queue: String) async throws -> Int {
        try await store(queue).unfinished()
    }

    var wallClock: any WallClock { clock }

    /// Every queue this host has opened, by name.
    var openStores: [any QueueStorage] { stores.withLock { Array($0.values) } }
}

/// A producer binding: stores the batch, then wakes the queue's consumers on this host (other hosts'
/// hear of it through the store, on PostgreSQL).
struct QueueSender: QueueProducer {
    let store: any QueueStorage
    let registry: QueueRegistry

    func sendBatch(_ messages: [OutgoingMessage]) async throws {
        guard messages.count <= OutgoingMessage.batchLimit else { throw QueueError.tooManyMessages(messages.count) }
        guard !messages.isEmpty else { return }
        _ = try await store.insert(messages)
        registry.sent(to: store.name)
    }
}

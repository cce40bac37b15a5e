/// Where one queue's messages wait: durable from the moment `insert` returns, leased while a consumer
/// holds them, deleted when acknowledged. `SQLiteQueueStore` keeps a host's queues in files of its own;
/// `PostgresQueueStore` keeps them in one database that many hosts share.
///
/// Times are milliseconds by the registry's clock.
protocol QueueStorage: Sendable {
    var name: String { get }

    /// Stores messages in one transaction; returns the earliest time one becomes visible.
    func insert(_ messages: [OutgoingMessage]) async throws -> Int64

    /// Leases up to `limit` visible messages, oldest due first, counting the delivery.
    func lease(limit: Int) async throws -> [QueueLease]

    /// How many messages are due now, and the earliest time any message (due or not) becomes visible.
    func pending() async throws -> (due: Int, next: Int64?)

    /// Applies a batch's outcome: deletes the acknowledged, makes the retried visible again at their
    /// times, moves dead letters to `deadLetterQueue` (or drops them when there is none).
    func settle(ack: [Int64], retry: [(Int64, Int64)], deadLetter: [Int64], into deadLetterQueue: (any QueueStorage)?) async throws

    /// Messages waiting, leased or not (for tests and health).
    func count() async throws -> Int

    /// Messages due now or held by a consumer: what is due and not yet done. On a clock that stands still
    /// (a test's), 0 means everything due by now has been handled.
    func unfinished() async throws -> Int

    /// Messages waiting (leased ones included: they are not done) and when the oldest was sent, in ms.
    func backlog() async throws -> (depth: Int, oldestSentAt: Int64?)

    /// How often an idle consumer looks again for messages another process sent, which nothing here is
    /// told of (nil: the store wakes consumers itself, as PostgreSQL's NOTIFY does).
    var idleRecheckMilliseconds: Int64? { get }
}

extension QueueStorage {
    var idleRecheckMilliseconds: Int64? { nil }
}

/// A store whose leases run out (many hosts share it, and one may die holding a batch): a consumer
/// renews the leases of a batch its hook is still working on, so no other host takes it meanwhile.
protocol ExpiringQueueLeases: QueueStorage {
    /// How long a lease lasts from when it is taken or renewed, in milliseconds.
    var leaseMilliseconds: Int64 { get }

    /// Extends this host's leases of `ids` by a whole lease from now.
    func renew(_ ids: [Int64]) async throws
}

/// A message as a lease hands it to a consumer.
struct QueueLease: Sendable {
    let id: Int64
    let body: [UInt8]
    /// Deliveries so far, this one included.
    let attempts: Int
    let createdAt: Int64
    /// When it became due.
    let visibleAt: Int64
}

extension QueueLease {
    /// A row of `id, body, attempts, created_at, visible_at`, as both stores' leases return.
    init(_ row: SQLRow) {
        self.init(id: row.integer("id") ?? 0, body: row.blob("body") ?? [], attempts: Int(row.integer("attempts") ?? 1),
                  createdAt: row.integer("created_at") ?? 0, visibleAt: row.integer("visible_at") ?? 0)
    }
}

extension QueueStorage {
    /// Validates `messages` (delay range, body size) and encodes each as its body and due time.
    static func encode(_ messages: [OutgoingMessage], now: Int64) throws -> [(body: [UInt8], visibleAt: Int64)] {
        try messages.map { message in
            guard (0...43_200).contains(message.delaySeconds) else { throw QueueError.invalidDelay(message.delaySeconds) }
            let body = message.body.jsonBytes
            guard body.count <= 128 * 1024 else { throw QueueError.messageTooLarge(body.count) }
            return (body, now + Int64((message.delaySeconds * 1000).rounded()))
        }
    }
}

import FoundationEssentials

/// One queue's messages on PostgreSQL: every queue of every host in one table of the `ozzi_queues`
/// schema, told apart by name, so many hosts share each queue.
///
/// A lease is a visibility timeout, as in SQS: leasing moves a message's `visible_at` to the end of the
/// lease and names the registry that holds it. A host that dies mid-batch holds nothing for long — its
/// messages come due again when their leases run out and go to whichever consumer asks first, with the
/// delivery counted, so a message that kills its consumer ends in the dead-letter queue. Leases are
/// taken with `FOR UPDATE SKIP LOCKED`, so consumers on many hosts never wait for or share a message.
///
/// Times are the hosts' clocks (as on SQLite, and as a test's clock sets them): hosts sharing a queue
/// keep their clocks in step (NTP), or a delay or lease is off by their difference.
final class PostgresQueueStore: ExpiringQueueLeases {
    /// The schema of the queue table, and the NOTIFY channel whose payload names the queue sent to.
    static let schema = "ozzi_queues"
    static let channel = "ozzi_queues"

    let name: String
    private let database: PostgresDatabase
    private let clock: any WallClock
    /// Who holds a lease: the registry, so only it settles its batches.
    private let owner: String
    let leaseMilliseconds: Int64

    init(name: String, database: PostgresDatabase, owner: String, leaseMilliseconds: Int64, clock: any WallClock) {
        self.name = name
        self.database = database
        self.owner = owner
        self.leaseMilliseconds = leaseMilliseconds
        self.clock = clock
    }

    /// Creates the table when missing; `database` runs in `schema`. Hosts starting together take turns
    /// (the transaction's schema lock), as two `CREATE TABLE IF NOT EXISTS` at once can both try to create.
    static func createTable(in database: PostgresDatabase) throws {
        _ = try database.transactionNow { tx in
            try tx.run("""
                CREATE TABLE IF NOT EXISTS messages (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                  queue TEXT NOT NULL, body BYTEA NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                  visible_at BIGINT NOT NULL, lease_owner TEXT, created_at BIGINT NOT NULL)
                """)
            try tx.run("CREATE INDEX IF NOT EXISTS messages_due ON messages (queue, visible_at, id)")
        }
    }

    func insert(_ messages: [OutgoingMessage]) async throws -> Int64 {
        let now = clock.milliseconds
        let rows = try Self.encode(messages, now: now)
        guard !rows.isEmpty else { return now }
        var values: [any SQLBindable] = []
        for (body, visibleAt) in rows { values += [name, body, visibleAt, now] }
        let tuples = Array(repeating: "(?, ?, ?, ?)", count: rows.count).joined(separator: ", ")
        // The notification goes out when the insert commits, to every host listening.
        _ = try await database.batch([
            database.prepare("INSERT INTO messages (queue, body, visible_at, created_at) VALUES \(tuples)").bind(values),
            notify(name),
        ])
        return rows.map(\.visibleAt).min() ?? now
    }

    func lease(limit: Int) async throws -> [QueueLease] {
        let now = clock.milliseconds
        let rows = try await database.prepare("""
            WITH due AS (
              SELECT id, visible_at FROM messages WHERE queue = ? AND visible_at <= ?
              ORDER BY visible_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
            UPDATE messages SET visible_at = ?, lease_owner = ?, attempts = messages.attempts + 1
            FROM due WHERE messages.id = due.id
            RETURNING messages.id, messages.body, messages.attempts, messages.created_at, due.visible_at
            """).bind(name, now, limit, now + leaseMilliseconds, owner).all()
        return rows.map(QueueLease.init).sorted { $0.id < $1.id }
    }

    func pending() async throws -> (due: Int, next: Int64?) {
        // `next` counts leased messages too: their leases' ends, when they are delivered again if their
        // holder has gone.
        let row = try await database.prepare("""
            SELECT count(*) FILTER (WHERE visible_at <= ?) AS due, min(visible_at) AS next FROM messages WHERE queue = ?
            """).bind(clock.milliseconds, name).first()
        return (Int(row?.integer("due") ?? 0), row?.integer("next"))
    }

    /// One transaction. Only this registry's leases are settled: a lease that ran out and went to another
    /// host is theirs now. Dead letters move to their queue in the same table, as new messages.
    func settle(ack: [Int64], retry: [(Int64, Int64)], deadLetter: [Int64], into deadLetterQueue: (any QueueStorage)?) async throws {
        var statements: [SQLStatement] = []
        let removed = deadLetterQueue == nil ? ack + deadLetter : ack
        if !removed.isEmpty {
            statements.append(database.prepare("DELETE FROM messages WHERE id = ANY(CAST(? AS BIGINT[])) AND lease_owner = ?")
                .bind(Self.array(removed), owner))
        }
        if !retry.isEmpty {
            statements.append(database.prepare("""
                UPDATE messages SET visible_at = r.at, lease_owner = NULL
                FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS r(id, at)
                WHERE messages.id = r.id AND messages.lease_owner = ?
                """).bind(Self.array(retry.map(\.0)), Self.array(retry.map(\.1)), owner))
        }
        if let deadLetterQueue, !deadLetter.isEmpty {
            assert(deadLetterQueue is PostgresQueueStore, "a registry's queues are all on one engine")
            let now = clock.milliseconds
            statements.append(database.prepare("""
                UPDATE messages SET queue = ?, attempts = 0, visible_at = ?, created_at = ?, lease_owner = NULL
                WHERE id = ANY(CAST(? AS BIGINT[])) AND lease_owner = ?
                """).bind(deadLetterQueue.name, now, now, Self.array(deadLetter), owner))
            statements.append(notify(deadLetterQueue.name))
        }
        guard !statements.isEmpty else { return }
        _ = try await database.batch(statements)
    }

    func renew(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await database.prepare("UPDATE messages SET visible_at = ? WHERE id = ANY(CAST(? AS BIGINT[])) AND lease_owner = ?")
            .bind(clock.milliseconds + leaseMilliseconds, Self.array(ids), owner).run()
    }

    func count() async throws -> Int {
        Int(try await database.prepare("SELECT count(*) AS n FROM messages WHERE queue = ?").bind(name).first()?.integer("n") ?? 0)
    }

    /// A leased message's `visible_at` is its lease's end: its owner says it is held.
    func unfinished() async throws -> Int {
        Int(try await database.prepare("SELECT count(*) AS n FROM messages WHERE queue = ? AND (lease_owner IS NOT NULL OR visible_at <= ?)")
            .bind(name, clock.milliseconds).first()?.integer("n") ?? 0)
    }

    func backlog() async throws -> (depth: Int, oldestSentAt: Int64?) {
        let row = try await database.prepare("SELECT count(*) AS n, min(created_at) AS oldest FROM messages WHERE queue = ?").bind(name).first()
        return (Int(row?.integer("n") ?? 0), row?.integer("oldest"))
    }

    private func notify(_ queue: String) -> SQLStatement {
        database.prepare("SELECT pg_notify(?, ?)").bind(Self.channel, queue)
    }

    /// An array literal (`{1,2,3}`) for `CAST(? AS BIGINT[])`: a batch's ids in one parameter.
    private static func array(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}

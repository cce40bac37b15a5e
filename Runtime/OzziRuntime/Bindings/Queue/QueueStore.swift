import FoundationEssentials

/// One queue's messages in SQLite: durable from the moment `send` returns, leased while a consumer
/// holds them, deleted when acknowledged.
final class QueueStore: Sendable {
    let name: String
    private let database: SQLiteDatabase
    private let clock: any WallClock

    struct Leased: Sendable {
        let id: Int64
        let body: [UInt8]
        let attempts: Int
        let createdAt: Int64
        let visibleAt: Int64
    }

    init(name: String, path: String, clock: any WallClock) throws {
        self.name = name
        self.clock = clock
        database = try SQLiteDatabase(path: path)
        _ = try database.transactionNow { tx in
            try tx.run("""
                CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL, leased INTEGER NOT NULL DEFAULT 0,
                  created_at INTEGER NOT NULL)
                """)
            try tx.run("CREATE INDEX IF NOT EXISTS messages_due ON messages (leased, visible_at, id)")
            // Leases belong to a consumer of an earlier process, which is gone: deliver those again.
            try tx.run("UPDATE messages SET leased = 0 WHERE leased = 1")
        }
    }

    /// Stores messages in one transaction; returns the earliest time one becomes visible.
    func insert(_ messages: [OutgoingMessage]) async throws -> Int64 {
        let now = clock.milliseconds
        var encoded: [([UInt8], Int64)] = []
        for message in messages {
            guard (0...43_200).contains(message.delaySeconds) else { throw QueueError.invalidDelay(message.delaySeconds) }
            let body = message.body.jsonBytes
            guard body.count <= 128 * 1024 else { throw QueueError.messageTooLarge(body.count) }
            encoded.append((body, now + Int64((message.delaySeconds * 1000).rounded())))
        }
        let rows = encoded
        try await database.transaction { tx in
            for (body, visibleAt) in rows {
                try tx.run("INSERT INTO messages (body, visible_at, created_at) VALUES (?, ?, ?)", body, visibleAt, now)
            }
        }
        return rows.map(\.1).min() ?? now
    }

    /// Leases up to `limit` visible messages, counting the delivery.
    func lease(limit: Int) async throws -> [Leased] {
        let now = clock.milliseconds
        let rows = try await database.prepare("""
            UPDATE messages SET leased = 1, attempts = attempts + 1
            WHERE id IN (SELECT id FROM messages WHERE leased = 0 AND visible_at <= ? ORDER BY visible_at, id LIMIT ?)
            RETURNING id, body, attempts, created_at, visible_at
            """).bind(now, limit).all()
        return rows.map {
            Leased(id: $0.integer("id") ?? 0, body: $0.blob("body") ?? [], attempts: Int($0.integer("attempts") ?? 1),
                   createdAt: $0.integer("created_at") ?? 0, visibleAt: $0.integer("visible_at") ?? 0)
        }.sorted { $0.id < $1.id }
    }

    /// Visible, unleased messages and the earliest due time of the others.
    func pending() async throws -> (due: Int, next: Int64?) {
        let row = try await database.prepare("""
            SELECT (SELECT count(*) FROM messages WHERE leased = 0 AND visible_at <= ?) AS due,
                   (SELECT min(visible_at) FROM messages WHERE leased = 0) AS next
            """).bind(clock.milliseconds).first()
        return (Int(row?.integer("due") ?? 0), row?.integer("next"))
    }

    /// Applies a batch's outcome: deletes, re-schedules, dead-letters. Dead letters are copied to their
    /// queue before they leave this one, so a crash in between duplicates a message rather than losing it.
    func settle(ack: [Int64], retry: [(Int64, Int64)], deadLetter: [Int64], into deadLetterQueue: QueueStore?) async throws {
        if let deadLetterQueue, !deadLetter.isEmpty {
            var messages: [OutgoingMessage] = []
            for id in deadLetter {
                guard let body = try await database.prepare("SELECT body FROM messages WHERE id = ?").bind(id).first()?.blob("body") else { continue }
                messages.append(OutgoingMessage(body: (try? JSONValue(jsonBytes: body)) ?? .null))
            }
            _ = try await deadLetterQueue.insert(messages)
        }
        let removed = ack + deadLetter
        try await database.transaction { tx in
            // One statement per 100 ids: a batch settles in a single pass over the index.
            for start in stride(from: 0, to: removed.count, by: 100) {
                let ids = removed[start..<min(start + 100, removed.count)]
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                try tx.execute("DELETE FROM messages WHERE id IN (\(placeholders))", ids.map { .integer($0) })
            }
            for (id, visibleAt) in retry { try tx.run("UPDATE messages SET leased = 0, visible_at = ? WHERE id = ?", visibleAt, id) }
        }
    }

    /// Messages waiting, leased or not (for tests and health).
    func count() async throws -> Int {
        Int(try await database.prepare("SELECT count(*) AS n FROM messages").first()?.integer("n") ?? 0)
    }

    /// Messages waiting (leased ones included: they are not done) and when the oldest was sent, in ms.
    func backlog() async throws -> (depth: Int, oldestSentAt: Int64?) {
        let row = try await database.prepare("SELECT count(*) AS n, min(created_at) AS oldest FROM messages").first()
        return (Int(row?.integer("n") ?? 0), row?.integer("oldest"))
    }
}

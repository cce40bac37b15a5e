import FoundationEssentials

/// One queue's messages in an SQLite file of its own, for the queues of one host.
final class SQLiteQueueStore: QueueStorage {
    let name: String
    private let database: SQLiteDatabase
    private let clock: any WallClock

    /// Another process on the same files (`ozzi trigger`, `ozzi admin`) may send: an idle consumer looks
    /// again each second, one indexed count (a send in this process wakes it at once).
    let idleRecheckMilliseconds: Int64? = 1000

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
            // Leases belong to a consumer of an earlier process, which is gone: deliver those again. (Only this
            // host uses the file; on a shared PostgreSQL, leases expire instead, as other hosts are alive.)
            try tx.run("UPDATE messages SET leased = 0 WHERE leased = 1")
        }
    }

    func insert(_ messages: [OutgoingMessage]) async throws -> Int64 {
        let now = clock.milliseconds
        let rows = try Self.encode(messages, now: now)
        try await database.transaction { tx in
            for (body, visibleAt) in rows {
                try tx.run("INSERT INTO messages (body, visible_at, created_at) VALUES (?, ?, ?)", body, visibleAt, now)
            }
        }
        return rows.map(\.visibleAt).min() ?? now
    }

    func lease(limit: Int) async throws -> [QueueLease] {
        let now = clock.milliseconds
        let rows = try await database.prepare("""
            UPDATE messages SET leased = 1, attempts = attempts + 1
            WHERE id IN (SELECT id FROM messages WHERE leased = 0 AND visible_at <= ? ORDER BY visible_at, id LIMIT ?)
            RETURNING id, body, attempts, created_at, visible_at
            """).bind(now, limit).all()
        return rows.map(QueueLease.init).sorted { $0.id < $1.id }
    }

    func pending() async throws -> (due: Int, next: Int64?) {
        let row = try await database.prepare("""
            SELECT (SELECT count(*) FROM messages WHERE leased = 0 AND visible_at <= ?) AS due,
                   (SELECT min(visible_at) FROM messages WHERE leased = 0) AS next
            """).bind(clock.milliseconds).first()
        return (Int(row?.integer("due") ?? 0), row?.integer("next"))
    }

    /// Dead letters are copied to their queue before they leave this one, so a crash in between
    /// duplicates a message rather than losing it.
    func settle(ack: [Int64], retry: [(Int64, Int64)], deadLetter: [Int64], into deadLetterQueue: (any QueueStorage)?) async throws {
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

    func count() async throws -> Int {
        Int(try await database.prepare("SELECT count(*) AS n FROM messages").first()?.integer("n") ?? 0)
    }

    func unfinished() async throws -> Int {
        Int(try await database.prepare("SELECT count(*) AS n FROM messages WHERE leased = 1 OR visible_at <= ?")
            .bind(clock.milliseconds).first()?.integer("n") ?? 0)
    }

    func backlog() async throws -> (depth: Int, oldestSentAt: Int64?) {
        let row = try await database.prepare("SELECT count(*) AS n, min(created_at) AS oldest FROM messages").first()
        return (Int(row?.integer("n") ?? 0), row?.integer("oldest"))
    }
}

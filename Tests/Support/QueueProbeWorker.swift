import FoundationEssentials
import OzziRuntime

/// A queue producer and consumer for tests and the queue benchmark. Every delivery is recorded in its
/// `DB` (`deliveries`: message number, run, attempts, lateness), so a test can check after a restart what
/// was delivered, how often, and when.
///
/// Bodies are `{"n": Int, "due_ms": Int, "fail": Bool?}`; `fail` makes the hook retry that message.
/// Its schema comes from `Tests/Support/migrations/queue-probe`. Times are by the host's clock (`env.clock`:
/// the system's for the benchmark and the crash tests, a test's `ManualClock` in live tests).
public struct QueueProbeWorker: RoutedWorker {
    public let router: Router
    let database: any SQLDatabase
    let run: Int
    /// Pause per batch after recording it (`BATCH_SLEEP_MS`), to make consumption slow enough to kill.
    let batchSleep: Int
    /// Once this many deliveries are recorded (`HOLD_AFTER`), the hook never returns from the batch that
    /// reached it: consumption stops mid-batch, recorded but unacknowledged, for a test to kill the host at a
    /// known point rather than race the consumer. 0 (the default) never holds.
    let holdAfter: Int
    let clock: any WallClock

    public init(env: WorkerEnv) throws {
        let database = try env.database("DB")
        self.database = database
        run = Int(env.var("RUN", default: "1")) ?? 1
        batchSleep = Int(env.var("BATCH_SLEEP_MS", default: "0")) ?? 0
        holdAfter = Int(env.var("HOLD_AFTER", default: "0")) ?? 0
        let queue = try env.queue("JOBS")
        let clock = env.clock
        self.clock = clock
        var router = Router()
        // POST /enqueue?from=1&count=1000&delay_ms=0&spread_ms=0&stagger_ms=0: sends in batches of 100.
        // Message i (counting from 0) is due `delay_ms` + `stagger_ms` * i ahead, plus a random 0...`spread_ms`.
        router.post("/enqueue") { request, _ in
            let from = Int(request.queryParameter("from") ?? "1") ?? 1
            let count = Int(request.queryParameter("count") ?? "1") ?? 1
            let delay = Int(request.queryParameter("delay_ms") ?? "0") ?? 0
            let spread = Int(request.queryParameter("spread_ms") ?? "0") ?? 0
            let stagger = Int(request.queryParameter("stagger_ms") ?? "0") ?? 0
            let fail = request.queryParameter("fail") == "1"
            var n = from
            while n < from + count {
                let batch = (n..<min(n + 100, from + count)).map { i -> OutgoingMessage in
                    let ms = delay + stagger * (i - from) + (spread > 0 ? Int.random(in: 0...spread) : 0)
                    var body: [String: JSONValue] = ["n": .number(Double(i)), "due_ms": .number(Double(clock.milliseconds + Int64(ms)))]
                    if fail { body["fail"] = .bool(true) }
                    return OutgoingMessage(body: .object(body), delaySeconds: Double(ms) / 1000)
                }
                try await queue.sendBatch(batch)
                n += batch.count
            }
            return .json(["sent": count], status: 202)
        }
        router.get("/deliveries") { _, _ in
            struct Summary: Codable, SQLRecord {
                let delivered: Int
                let distinct_n: Int
                let max_attempts: Int?
                enum CodingKeys: String, SQLColumn { case delivered, distinct_n, max_attempts }
                typealias Columns = CodingKeys
            }
            let summary = try await database.prepare("""
                SELECT count(*) AS delivered, count(DISTINCT n) AS distinct_n, max(attempts) AS max_attempts FROM deliveries
                """).first(Summary.self)
            return .json(summary)
        }
        // GET /lateness?from=N: delivery minus due time (ms) of messages numbered N and up, sorted.
        router.get("/lateness") { request, _ in
            struct Row: Decodable, SQLRecord {
                let lateness_ms: Int
                enum CodingKeys: String, SQLColumn { case lateness_ms }
                typealias Columns = CodingKeys
            }
            let from = Int(request.queryParameter("from") ?? "0") ?? 0
            return .json(try await database.prepare("SELECT lateness_ms FROM deliveries WHERE n >= ? ORDER BY lateness_ms")
                .bind(from).all(Row.self).map(\.lateness_ms))
        }
        self.router = router
    }

    public func queue(_ batch: MessageBatch, context: RequestContext) async throws {
        let now = clock.milliseconds
        let rows = batch.messages.map { message -> (Int, Int, Int, String) in
            let n = Int(message.body["n"]?.numberValue ?? -1)
            let due = Int64(message.body["due_ms"]?.numberValue ?? Double(now))
            return (n, message.attempts, Int(now - due), message.id)
        }
        let run = self.run
        try await database.transaction { tx in
            for (n, attempts, lateness, id) in rows {
                try tx.run("INSERT INTO deliveries (n, run, attempts, lateness_ms, message_id) VALUES (?, ?, ?, ?, ?)", n, run, attempts, lateness, id)
            }
        }
        for message in batch.messages where message.body["fail"] == .bool(true) {
            message.retry()
        }
        if batchSleep > 0 { try await Task.sleep(for: .milliseconds(batchSleep)) }
        if holdAfter > 0 {
            let recorded = try await database.prepare("SELECT count(*) AS n FROM deliveries").first()?.integer("n") ?? 0
            if recorded >= holdAfter {
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
        }
    }
}

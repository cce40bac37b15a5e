import FoundationEssentials
import OzziRuntime

/// The api worker's every-minute housekeeping: drops expired KV entries and day-old idempotency
/// records, runs each domain's share (expired sessions, messages whose job a crash lost, events a crash
/// left unflushed), and records each run, so an operator can see it is alive.
struct MaintenanceSweep: Sendable {
    let kv: any KVNamespace
    let database: any SQLDatabase
    let idempotency: IdempotencyStore
    let domains: [any APIDomain]

    /// Its trigger in `wrangler-like.toml`.
    static let cron = "* * * * *"

    struct Run: Decodable, Equatable {
        let cron: String
        let expired_kv_keys: Int
    }

    func run(_ event: ScheduledEvent) async throws {
        let started = Date()
        let expired = try await kv.sweepExpired()
        _ = try await idempotency.sweep()
        for domain in domains { try await domain.maintain() }
        try await database.prepare("""
            INSERT INTO sweep_runs (cron, scheduled_time, started_at, finished_at, expired_kv_keys) VALUES (?, ?, ?, ?, ?)
            """).bind(event.cron, event.scheduledTime, started, Date(), expired).run()
    }
}

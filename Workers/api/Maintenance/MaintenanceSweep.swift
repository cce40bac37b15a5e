import FoundationEssentials
import OzziRuntime

/// The api worker's every-minute housekeeping: drops expired KV entries, access tokens, long-dead
/// sessions and day-old idempotency records, re-queues messages whose job a crash lost, hands on events a
/// crash left unflushed and drops day-old ones, and records each run, so an operator can see it is alive.
struct MaintenanceSweep: Sendable {
    let kv: any KVNamespace
    let database: any SQLDatabase
    let services: APIServices

    struct Run: Decodable, Equatable {
        let cron: String
        let expired_kv_keys: Int
    }

    func run(_ event: ScheduledEvent) async throws {
        let started = Date()
        let expired = try await kv.sweepExpired()
        _ = try await services.sessions.sweep()
        _ = try await services.idempotency.sweep()
        try await services.deliveryQueue.sweep()
        try await services.events.sweep()
        try await database.prepare("""
            INSERT INTO sweep_runs (cron, scheduled_time, started_at, finished_at, expired_kv_keys) VALUES (?, ?, ?, ?, ?)
            """).bind(event.cron, event.scheduledTime, started, Date(), expired).run()
    }
}

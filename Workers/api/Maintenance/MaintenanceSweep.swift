import FoundationEssentials
import OzziRuntime

/// The api worker's every-minute housekeeping: drops expired KV entries and records each run, so an
/// operator can see the sweep is alive. Later features add their own steps (expired leases, retention).
struct MaintenanceSweep: Sendable {
    let kv: any KVNamespace
    let database: any SQLDatabase

    struct Run: Decodable, Equatable {
        let cron: String
        let expired_kv_keys: Int
    }

    func run(_ event: ScheduledEvent) async throws {
        let started = Date()
        let expired = try await kv.sweepExpired()
        try await database.prepare("""
            INSERT INTO sweep_runs (cron, scheduled_time, started_at, finished_at, expired_kv_keys) VALUES (?, ?, ?, ?, ?)
            """).bind(event.cron, event.scheduledTime, started, Date(), expired).run()
    }
}

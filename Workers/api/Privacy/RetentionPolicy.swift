import OzziRuntime

/// How long a workspace keeps conversations and messages: those older than `days` are deleted by the
/// daily retention run (`RetentionRun`, at 01:00 UTC). No policy: kept until deleted.
struct RetentionPolicy: Codable, Sendable, Equatable {
    let days: Int?
    let last_run_at: String?

    static let maxDays = 3650

    static func get(_ database: any SQLDatabase, _ scope: TenantScope) async throws -> RetentionPolicy {
        let row = try await database.prepare("SELECT days, last_run_at FROM retention_policies WHERE workspace_id = ?").bind(scope.workspaceID).first()
        return RetentionPolicy(days: row?.integer("days").map(Int.init), last_run_at: row?.text("last_run_at"))
    }

    /// Sets the policy (nil removes it).
    static func set(_ database: any SQLDatabase, _ scope: TenantScope, days: Int?, now: String) async throws {
        guard let days else {
            try await database.prepare("DELETE FROM retention_policies WHERE workspace_id = ?").bind(scope.workspaceID).run()
            return
        }
        try await database.prepare("""
            INSERT INTO retention_policies (workspace_id, days, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (workspace_id) DO UPDATE SET days = excluded.days, updated_at = excluded.updated_at
            """).bind(scope.workspaceID, days, now).run()
    }
}

extension RetentionPolicy: APIModel {
    static let schema = Schema.object([
        .optional("days", Schema.integer(1...maxDays).nullable.described("Conversations and messages older than this many days are deleted; null keeps them")),
        .optional("last_run_at", Schema.timestamp.nullable.described("When the daily run (01:00 UTC) last applied it")),
    ], closed: true)

    static let body = Schema.object([
        .required("days", Schema.integer(1...maxDays).nullable.example(365)),
    ], closed: true)
}

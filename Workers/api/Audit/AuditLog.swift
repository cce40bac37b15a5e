import Logging
import OzziRuntime

/// Security events (sign-ins, failures, token reuse, key changes), readable by workspace owners.
struct AuditLog: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let logger: Logger

    struct Event: Codable, SQLRecord, Sendable, Equatable {
        let id: Int
        let event: String
        let user_id: String?
        let ip: String?
        let details: JSONValue
        let created_at: String
        enum CodingKeys: String, SQLColumn { case id, event, user_id, ip, details, created_at }
        typealias Columns = CodingKeys
    }

    /// Records an event; a failure to record is logged, never fails the request it describes.
    func record(_ event: String, workspace: String?, user: String?, ip: String?, details: [String: JSONValue] = [:]) async {
        do {
            try await database.prepare("INSERT INTO audit_log (workspace_id, user_id, event, ip, details, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(workspace, user, event, ip, String(decoding: JSONValue.object(details).jsonBytes, as: UTF8.self), Timestamp.now(clock)).run()
        } catch {
            logger.error("audit event not recorded", metadata: ["event": "\(event)", "error": "\(error)"])
        }
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [Event] {
        let after = page.after.flatMap(Int.init) ?? Int.max
        return try await database.prepare("""
            SELECT \(Event.selection) FROM audit_log WHERE workspace_id = ? AND id < ? ORDER BY id DESC LIMIT ?
            """).bind(scope.workspaceID, after, page.limit + 1).all(Event.self)
    }
}

import OzziRuntime

/// Whether a workspace's client portal is open, and whether people may sign up to it themselves (their
/// address confirmed by email) or only by invitation. Off until the workspace turns it on.
struct PortalSettings: Codable, Sendable, Equatable {
    var enabled: Bool
    var self_signup: Bool

    static let off = PortalSettings(enabled: false, self_signup: false)

    static func get(_ database: any SQLDatabase, _ scope: TenantScope) async throws -> PortalSettings {
        guard let row = try await database.prepare("SELECT enabled, self_signup FROM portal_settings WHERE workspace_id = ?")
            .bind(scope.workspaceID).first() else { return .off }
        return PortalSettings(enabled: row.integer("enabled") == 1, self_signup: row.integer("self_signup") == 1)
    }

    func save(_ database: any SQLDatabase, _ scope: TenantScope, now: String) async throws {
        try await database.prepare("""
            INSERT INTO portal_settings (workspace_id, enabled, self_signup, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, self_signup = excluded.self_signup, updated_at = excluded.updated_at
            """).bind(scope.workspaceID, enabled ? 1 : 0, self_signup ? 1 : 0, now).run()
    }
}

extension PortalSettings: APIModel {
    static let schema = Schema.object([
        .required("enabled", Schema.boolean.described("Portal users may sign in")),
        .required("self_signup", Schema.boolean.described("Anyone may sign up with an address, confirmed by a link mailed to it; else by invitation only")),
    ], closed: true)

    static let body = Schema.object([
        .optional("enabled", Schema.boolean),
        .optional("self_signup", Schema.boolean),
    ], closed: true)
}

import OzziRuntime

/// A member's Google account connected to their calendars: the OAuth grant (tokens sealed at rest) and
/// whether it still holds. A grant Google no longer honours (`invalid_grant`: revoked, or expired) makes
/// the connection `disconnected` until the member connects again.
struct GoogleConnection: SQLRecord, Sendable {
    let id: String
    let workspaceID: String
    let userID: String
    let googleEmail: String?
    let sealedRefreshToken: String
    let sealedAccessToken: String?
    let accessExpiresMs: Int64
    let status: String
    let statusReason: String?
    let createdAt: String
    let updatedAt: String

    enum Columns: String, SQLColumn {
        case id, workspace_id, user_id, google_email, refresh_token, access_token, access_expires_ms, status, status_reason, created_at, updated_at
    }

    static let select = """
        SELECT id, workspace_id, user_id, google_email, refresh_token, access_token, access_expires_ms, status, status_reason, created_at, updated_at
        FROM google_connections
        """

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        userID = try row.decode(String.self, forKey: .user_id)
        googleEmail = try row.decodeIfPresent(String.self, forKey: .google_email)
        sealedRefreshToken = try row.decode(String.self, forKey: .refresh_token)
        sealedAccessToken = try row.decodeIfPresent(String.self, forKey: .access_token)
        accessExpiresMs = try row.decode(Int64.self, forKey: .access_expires_ms)
        status = try row.decode(String.self, forKey: .status)
        statusReason = try row.decodeIfPresent(String.self, forKey: .status_reason)
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
    }

    var isConnected: Bool { status == "connected" }
    var scope: TenantScope { TenantScope(workspaceID: workspaceID) }
}

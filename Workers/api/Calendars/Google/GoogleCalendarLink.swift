import OzziRuntime

/// A Google calendar a member chose to show: a `calendars` row of source `google`, with where its sync
/// stands and the push channel watching it.
struct GoogleCalendarLink: SQLRecord, Sendable {
    let id: String
    let workspaceID: String
    let ownerID: String
    let connectionID: String
    let googleCalendarID: String
    let timeZone: String
    let syncToken: String?
    let syncedAtMs: Int64?
    let syncError: String?
    let channelID: String?
    let channelResourceID: String?
    let channelToken: String?
    let channelExpiresMs: Int64?
    let channelRenewMs: Int64?

    enum Columns: String, SQLColumn {
        case id, workspace_id, owner_id, connection_id, google_calendar_id, time_zone, sync_token, synced_at_ms, sync_error, channel_id,
             channel_resource_id, channel_token, channel_expires_ms, channel_renew_ms
    }

    static let select = """
        SELECT id, workspace_id, owner_id, connection_id, google_calendar_id, time_zone, sync_token, synced_at_ms, sync_error, channel_id,
        channel_resource_id, channel_token, channel_expires_ms, channel_renew_ms FROM calendars
        """

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        workspaceID = try row.decode(String.self, forKey: .workspace_id)
        ownerID = try row.decode(String.self, forKey: .owner_id)
        connectionID = try row.decode(String.self, forKey: .connection_id)
        googleCalendarID = try row.decode(String.self, forKey: .google_calendar_id)
        timeZone = try row.decode(String.self, forKey: .time_zone)
        syncToken = try row.decodeIfPresent(String.self, forKey: .sync_token)
        syncedAtMs = try row.decodeIfPresent(Int64.self, forKey: .synced_at_ms)
        syncError = try row.decodeIfPresent(String.self, forKey: .sync_error)
        channelID = try row.decodeIfPresent(String.self, forKey: .channel_id)
        channelResourceID = try row.decodeIfPresent(String.self, forKey: .channel_resource_id)
        channelToken = try row.decodeIfPresent(String.self, forKey: .channel_token)
        channelExpiresMs = try row.decodeIfPresent(Int64.self, forKey: .channel_expires_ms)
        channelRenewMs = try row.decodeIfPresent(Int64.self, forKey: .channel_renew_ms)
    }

    var scope: TenantScope { TenantScope(workspaceID: workspaceID) }
    /// The calendar's path below the API base.
    var eventsPath: String { "/calendars/" + GoogleCalendarAPI.segment(googleCalendarID) + "/events" }
}

import OzziRuntime

/// All SQL about the Google calendars members chose: adding and removing them, their sync state, the one
/// sync at a time each runs, and their push channels.
struct GoogleLinkStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    func get(id: String) async throws -> GoogleCalendarLink? {
        try await database.prepare(GoogleCalendarLink.select + " WHERE id = ? AND source = 'google'").bind(id).first(GoogleCalendarLink.self)
    }

    func get(channelID: String) async throws -> GoogleCalendarLink? {
        try await database.prepare(GoogleCalendarLink.select + " WHERE channel_id = ?").bind(channelID).first(GoogleCalendarLink.self)
    }

    func all(connectionID: String) async throws -> [GoogleCalendarLink] {
        try await database.prepare(GoogleCalendarLink.select + " WHERE connection_id = ? ORDER BY id").bind(connectionID).all(GoogleCalendarLink.self)
    }

    /// Adds a Google calendar to the member's calendars (choosing it twice keeps the first). The member's
    /// working hours come from their built-in calendar.
    func choose(_ scope: TenantScope, connection: GoogleConnection, builtin: MemberCalendar, googleCalendarID: String, name: String,
                timeZone: String, color: String?) async throws -> GoogleCalendarLink {
        let now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO calendars (id, workspace_id, owner_id, name, color, source, time_zone, work_days, work_start, work_end, created_at, updated_at,
            connection_id, google_calendar_id) VALUES (?, ?, ?, ?, ?, 'google', ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (connection_id, google_calendar_id) WHERE google_calendar_id IS NOT NULL DO NOTHING
            """).bind(ResourceID.make("cal"), scope.workspaceID, connection.userID, String(name.prefix(200)), color, timeZone,
                      builtin.workingHours.storedDays, builtin.workingHours.start, builtin.workingHours.end, now, now, connection.id, googleCalendarID).run()
        guard let link = try await database.prepare(GoogleCalendarLink.select + " WHERE connection_id = ? AND google_calendar_id = ?")
            .bind(connection.id, googleCalendarID).first(GoogleCalendarLink.self) else { throw APIError.notFound("calendar") }
        return link
    }

    func remove(_ link: GoogleCalendarLink) async throws {
        try await database.prepare("DELETE FROM calendars WHERE id = ?").bind(link.id).run()
    }

    /// Takes the calendar's sync lease for `holder` (five minutes, renewed at each page). Nil when another
    /// sync holds it: that one is told to go round again instead.
    func claim(_ link: GoogleCalendarLink) async throws -> String? {
        let holder = Crypto.token(bytes: 12)
        for _ in 0..<3 {
            let now = clock.milliseconds
            if try await database.prepare("""
                UPDATE calendars SET sync_lease_ms = ?, sync_holder = ?, sync_again = 0 WHERE id = ? AND (sync_lease_ms IS NULL OR sync_lease_ms < ?)
                """).bind(now + Self.leaseMs, holder, link.id, now).run().changes == 1 {
                return holder
            }
            // Told in the same statement that finds the lease held, so a holder letting go in between is not missed.
            if try await database.prepare("UPDATE calendars SET sync_again = 1 WHERE id = ? AND sync_lease_ms >= ?").bind(link.id, now).run().changes == 1 {
                return nil
            }
        }
        return nil
    }

    static let leaseMs: Int64 = 300_000

    /// Keeps the lease while a long sync goes on; false when it was lost (expired and taken).
    func renew(_ link: GoogleCalendarLink, holder: String) async throws -> Bool {
        try await database.prepare("UPDATE calendars SET sync_lease_ms = ? WHERE id = ? AND sync_holder = ?")
            .bind(clock.milliseconds + Self.leaseMs, link.id, holder).run().changes == 1
    }

    /// Lets the lease go; false (and the lease kept) when a sync was asked for meanwhile.
    func release(_ link: GoogleCalendarLink, holder: String) async throws -> Bool {
        if try await database.prepare("UPDATE calendars SET sync_lease_ms = NULL, sync_holder = NULL WHERE id = ? AND sync_holder = ? AND sync_again = 0")
            .bind(link.id, holder).run().changes == 1 {
            return true
        }
        return try await database.prepare("UPDATE calendars SET sync_again = 0, sync_lease_ms = ? WHERE id = ? AND sync_holder = ?")
            .bind(clock.milliseconds + Self.leaseMs, link.id, holder).run().changes == 0
    }

    func abandon(_ link: GoogleCalendarLink, holder: String) async throws {
        try await database.prepare("UPDATE calendars SET sync_lease_ms = NULL, sync_holder = NULL WHERE id = ? AND sync_holder = ?").bind(link.id, holder).run()
    }

    func synced(_ link: GoogleCalendarLink, token: String?) async throws {
        try await database.prepare("UPDATE calendars SET sync_token = ?, synced_at_ms = ?, sync_error = NULL, sync_queued_ms = NULL WHERE id = ?")
            .bind(token, clock.milliseconds, link.id).run()
    }

    func failed(_ link: GoogleCalendarLink, _ error: String) async throws {
        try await database.prepare("UPDATE calendars SET sync_error = ? WHERE id = ?").bind(String(error.prefix(500)), link.id).run()
    }

    /// Deletes the calendar's synced events a full sync did not see (deleted in Google while our sync token
    /// was void). Only those Google last changed well before the listing began: an event written there while
    /// the pages went by may be missing from them, and the next incremental sync brings what it is. Events
    /// whose own write-back is under way (no etag yet) stay.
    func removeUnseen(_ link: GoogleCalendarLink, seen: [String], listedFromMs: Int64) async throws -> Int {
        try await database.transaction { [clock] tx in
            let gone = try tx.all("""
                SELECT id FROM calendar_events WHERE calendar_id = ? AND google_etag IS NOT NULL AND google_updated_ms < ?
                AND google_id NOT IN (SELECT value FROM \(tx.dialect.elements()))
                """, link.id, listedFromMs - 300_000, SQLList.json(seen)).compactMap { $0.text("id") }
            for id in gone { try tx.run("DELETE FROM calendar_events WHERE id = ?", id) }
            try WorkspaceEvents.record(tx, gone.map { (link.scope, "calendar.event_deleted", ["event_id": .string($0), "calendar_id": .string(link.id)]) },
                                       at: Timestamp.now(clock))
            return gone.count
        }
    }

    /// Claims the replacement of the calendar's channel (`link.channelID`, nil for none yet) for a minute:
    /// false when another sweep or host claimed it first, or replaced it already. Without the claim two sweeps
    /// would each make a channel and keep one, and the other would go on notifying until it expired.
    func claimRenewal(_ link: GoogleCalendarLink) async throws -> Bool {
        let now = clock.milliseconds
        return try await database.prepare("""
            UPDATE calendars SET channel_renew_ms = ? WHERE id = ? AND coalesce(channel_id, '') = ? AND (channel_renew_ms IS NULL OR channel_renew_ms <= ?)
            """).bind(now + Self.renewalClaimMs, link.id, link.channelID ?? "", now).run().changes == 1
    }

    static let renewalClaimMs: Int64 = 60_000

    /// Puts the new channel in place of the one it replaces; false when that one was replaced meanwhile.
    func setChannel(_ link: GoogleCalendarLink, id: String, resourceID: String, tokenHash: String, expiresMs: Int64, renewMs: Int64) async throws -> Bool {
        try await database.prepare("""
            UPDATE calendars SET channel_id = ?, channel_resource_id = ?, channel_token = ?, channel_expires_ms = ?, channel_renew_ms = ?
            WHERE id = ? AND coalesce(channel_id, '') = ?
            """).bind(id, resourceID, tokenHash, expiresMs, renewMs, link.id, link.channelID ?? "").run().changes == 1
    }

    func clearChannel(_ link: GoogleCalendarLink) async throws {
        try await database.prepare("""
            UPDATE calendars SET channel_id = NULL, channel_resource_id = NULL, channel_token = NULL, channel_expires_ms = NULL, channel_renew_ms = NULL
            WHERE id = ?
            """).bind(link.id).run()
    }

    /// Calendars of live connections not synced for `syncedBefore` and not queued since `queuedBefore` (a
    /// calendar whose sync keeps failing gets one job at a time, not one a minute), or whose channel is due for
    /// renewal (or missing, when pushes are used); the longest unsynced first.
    func due(syncedBefore: Int64, queuedBefore: Int64, renewBy: Int64, watching: Bool, limit: Int = 500) async throws -> [GoogleCalendarLink] {
        try await database.prepare(GoogleCalendarLink.select.replacingOccurrences(of: " FROM calendars", with: " FROM calendars c") + """
             WHERE c.source = 'google' AND EXISTS (SELECT 1 FROM google_connections g WHERE g.id = c.connection_id AND g.status = 'connected')
            AND (((c.synced_at_ms IS NULL OR c.synced_at_ms < ?) AND (c.sync_queued_ms IS NULL OR c.sync_queued_ms < ?))
                 OR (? = 1 AND (c.channel_renew_ms IS NULL OR c.channel_renew_ms <= ?)))
            ORDER BY coalesce(c.synced_at_ms, 0), c.id LIMIT ?
            """).bind(syncedBefore, queuedBefore, watching ? 1 : 0, renewBy, limit).all(GoogleCalendarLink.self)
    }

    func queued(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await database.prepare("UPDATE calendars SET sync_queued_ms = ? WHERE id IN (SELECT value FROM \(database.dialect.elements()))")
            .bind(clock.milliseconds, SQLList.json(ids)).run()
    }
}

import OzziRuntime

/// All SQL about events and their exceptions, always within the caller's workspace. Each event row keeps
/// the UTC range its occurrences can fall in (`range_start_ms`, `range_end_ms`), so a range query reads
/// only the events that may show, whatever their zone or rule; the exact occurrences come from
/// `OccurrenceExpander`.
struct CalendarEventStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// `googleID`: on a Google calendar, the id Google will know it by (`GoogleWriteBack`); its etag stays NULL
    /// until Google has it.
    /// `check` runs first inside the transaction, and may refuse the event there.
    func create(_ scope: TenantScope, calendar: MemberCalendar, _ input: EventInput, by userID: String, id: String = ResourceID.make("evt"),
                googleID: String? = nil, check: @escaping @Sendable (SQLTransaction) throws -> Void = { _ in }) async throws -> CalendarEvent {
        let now = Timestamp.now(clock)
        let range = Self.range(EventTiming(input), exceptions: [])
        try await database.transaction { tx in
            try check(tx)
            try tx.run("""
                INSERT INTO calendar_events (id, workspace_id, calendar_id, title, description, location, all_day, starts, ends, time_zone, rrule, busy,
                visibility, attendees, range_start_ms, range_end_ms, version, created_by, created_at, updated_at, google_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                """, id, scope.workspaceID, calendar.id, input.title, input.description, input.location, input.allDay ? 1 : 0, input.text(input.start),
                input.text(input.end), input.timeZone, input.recurrence?.text, input.busy ? 1 : 0, input.isPrivate ? "private" : "default",
                Self.json(input.attendees), range.start, range.end, userID, now, now, googleID)
            try WorkspaceEvents.record(tx, [(scope, "calendar.event_created", ["event_id": .string(id), "calendar_id": .string(calendar.id)])], at: now)
        }
        guard let event = try await get(scope, id: id) else { throw APIError.notFound("event") }
        return event
    }

    /// Google's version of an event this host wrote there, unless a sync already brought a newer one.
    func adopt(_ eventID: String, remote: GoogleVersion) async throws {
        try await database.prepare("""
            UPDATE calendar_events SET google_etag = ?, google_updated_ms = ? WHERE id = ? AND (google_updated_ms IS NULL OR google_updated_ms <= ?)
            """).bind(remote.etag, remote.updatedMs, eventID, remote.updatedMs).run()
    }

    /// What a Google calendar's event is known by there: its Google id and the etag kept (nil while its insert
    /// is under way), as of the version `event` was read at. A sync may have brought a change from Google since
    /// that read: its newer etag would let Google take a change made on what the caller never saw, so a moved
    /// version is a 412 here (a caller without If-Match has the change made again on the new one).
    func googleIdentity(_ event: CalendarEvent) async throws -> (id: String, etag: String?)? {
        guard let row = try await database.prepare("SELECT google_id, google_etag, version FROM calendar_events WHERE id = ?").bind(event.id).first(),
              let id = row.text("google_id") else { return nil }
        let version = row.integer("version").map { Int($0) } ?? event.version
        guard version == event.version else { throw APIError.preconditionFailed("the event", etag: "\"\(version)\"") }
        return (id, row.text("google_etag"))
    }

    func get(_ scope: TenantScope, id: String) async throws -> CalendarEvent? {
        try await database.prepare(CalendarEvent.select + " WHERE e.workspace_id = ? AND e.id = ?").bind(scope.workspaceID, id).first(CalendarEvent.self)
    }

    func exceptions(of eventIDs: [String]) async throws -> [String: [EventException]] {
        guard !eventIDs.isEmpty else { return [:] }
        let rows = try await database.prepare(EventException.select + " WHERE event_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY event_id, original_start")
            .bind(SQLList.json(eventIDs)).all(EventException.self)
        return Dictionary(grouping: rows, by: \.eventID)
    }

    /// The events of `calendarIDs` whose occurrences may overlap `[from, to)` (UTC seconds), with their exceptions.
    func inRange(_ scope: TenantScope, calendarIDs: [String], from: Int64, to: Int64) async throws -> [(CalendarEvent, [EventException])] {
        guard !calendarIDs.isEmpty else { return [] }
        let events = try await database.prepare(CalendarEvent.select + """
             WHERE e.workspace_id = ? AND e.calendar_id IN (SELECT value FROM \(database.dialect.elements()))
            AND e.range_start_ms < ? AND (e.range_end_ms IS NULL OR e.range_end_ms >= ?) ORDER BY e.range_start_ms, e.id
            """).bind(scope.workspaceID, SQLList.json(calendarIDs), to * 1000, from * 1000).all(CalendarEvent.self)
        let recurring = events.filter { $0.recurrence != nil }.map(\.id)
        let exceptions = try await exceptions(of: recurring)
        return events.map { ($0, exceptions[$0.id] ?? []) }
    }

    /// Changes the event, as `ifMatch` (an etag) demands when given; a change of its timing drops its
    /// exceptions (the occurrences they were keyed by may no longer exist). Nil when it is gone.
    /// `remote`: the version Google answered the same change with, on a Google calendar. Google's `If-Match`
    /// already ordered the change, so it is kept whatever version a sync made here meanwhile (that sync may
    /// well have brought this very change back).
    func update(_ scope: TenantScope, _ event: CalendarEvent, _ input: EventInput, ifMatch: String?, remote: GoogleVersion? = nil) async throws -> CalendarEvent? {
        let now = Timestamp.now(clock)
        let kept = input.timingChanged ? [] : (try await exceptions(of: [event.id])[event.id] ?? [])
        let range = Self.range(EventTiming(input), exceptions: kept)
        try await database.transaction { tx in
            let changed = try tx.run("""
                UPDATE calendar_events SET title = ?, description = ?, location = ?, all_day = ?, starts = ?, ends = ?, time_zone = ?, rrule = ?,
                busy = ?, visibility = ?, attendees = ?, range_start_ms = ?, range_end_ms = ?, version = version + 1, updated_at = ?,
                google_etag = coalesce(?, google_etag), google_updated_ms = coalesce(?, google_updated_ms)
                WHERE workspace_id = ? AND id = ? AND (? = 1 OR version = ?)
                """, input.title, input.description, input.location, input.allDay ? 1 : 0, input.text(input.start), input.text(input.end), input.timeZone,
                input.recurrence?.text, input.busy ? 1 : 0, input.isPrivate ? "private" : "default", Self.json(input.attendees), range.start, range.end,
                now, remote?.etag, remote?.updatedMs, scope.workspaceID, event.id, remote == nil ? 0 : 1, try Self.version(ifMatch, of: event)).changes
            guard changed == 1 else { throw APIError.preconditionFailed("the event", etag: event.etag) }
            if input.timingChanged { try tx.run("DELETE FROM calendar_event_exceptions WHERE event_id = ?", event.id) }
            try WorkspaceEvents.record(tx, [(scope, "calendar.event_updated", ["event_id": .string(event.id), "calendar_id": .string(event.calendarID)])], at: now)
        }
        return try await get(scope, id: event.id)
    }

    /// `deletedInGoogle`: Google already took the deletion (a sync may have removed it here first).
    func delete(_ scope: TenantScope, _ event: CalendarEvent, ifMatch: String?, deletedInGoogle: Bool = false) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            let deleted = try tx.run("DELETE FROM calendar_events WHERE workspace_id = ? AND id = ? AND (? = 1 OR version = ?)", scope.workspaceID, event.id,
                                     deletedInGoogle ? 1 : 0, try Self.version(ifMatch, of: event)).changes
            if deletedInGoogle, deleted == 0 { return }
            guard deleted == 1 else {
                throw APIError.preconditionFailed("the event", etag: event.etag)
            }
            try WorkspaceEvents.record(tx, [(scope, "calendar.event_deleted", ["event_id": .string(event.id), "calendar_id": .string(event.calendarID)])], at: now)
        }
    }

    /// Sets one occurrence's exception (cancelled, or changed and maybe moved), then the series' range and
    /// version, in one transaction.
    /// `madeInGoogle`: Google already took the change (as for `update`'s `remote`).
    func setException(_ scope: TenantScope, _ event: CalendarEvent, _ exception: EventException, ifMatch: String?,
                      madeInGoogle: Bool = false) async throws -> CalendarEvent? {
        let now = Timestamp.now(clock)
        var all = try await exceptions(of: [event.id])[event.id] ?? []
        all.removeAll { $0.originalStart == exception.originalStart }
        all.append(exception)
        let range = Self.range(EventTiming(event), exceptions: all)
        try await database.transaction { tx in
            guard try tx.run("""
                UPDATE calendar_events SET range_start_ms = ?, range_end_ms = ?, version = version + 1, updated_at = ?
                WHERE workspace_id = ? AND id = ? AND (? = 1 OR version = ?)
                """, range.start, range.end, now, scope.workspaceID, event.id, madeInGoogle ? 1 : 0, try Self.version(ifMatch, of: event)).changes == 1 else {
                throw APIError.preconditionFailed("the event", etag: event.etag)
            }
            try tx.run("DELETE FROM calendar_event_exceptions WHERE event_id = ? AND original_start = ?", event.id, event.text(exception.originalStart))
            try tx.run("""
                INSERT INTO calendar_event_exceptions (event_id, original_start, cancelled, title, description, location, starts, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, event.id, event.text(exception.originalStart), exception.cancelled ? 1 : 0, exception.title, exception.description, exception.location,
                exception.start.map(event.text), exception.end.map(event.text))
            try WorkspaceEvents.record(tx, [(scope, "calendar.event_updated", ["event_id": .string(event.id), "calendar_id": .string(event.calendarID)])], at: now)
        }
        return try await get(scope, id: event.id)
    }

    /// The version a change is made on: the one read, when `If-Match` names it (`"3"`, `W/"3"`, `*`) or is
    /// absent; a 412 before anything is merged when it names another.
    static func version(_ ifMatch: String?, of event: CalendarEvent) throws -> Int {
        guard let ifMatch = ifMatch?.trimmingPrefixAndSuffixSpaces(), !ifMatch.isEmpty, ifMatch != "*" else { return event.version }
        let tag = ifMatch.hasPrefix("W/") ? ifMatch.dropFirst(2) : ifMatch[...]
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"", Int(tag.dropFirst().dropLast()) == event.version else {
            throw APIError.preconditionFailed("the event", etag: event.etag)
        }
        return event.version
    }

    static func json(_ attendees: [Attendee]) -> String {
        SQLList.json(attendees.map(\.json))
    }

    /// The UTC range (ms) any occurrence can fall in, with a day to spare: from the first start to the last
    /// end (NULL while the series never ends), moved occurrences included. An all-day event's days are widened by the zones
    /// furthest from UTC (+14:00, -12:00), since they fall in whichever zone views them.
    static func range(_ timing: EventTiming, exceptions: [EventException]) -> (start: Int64, end: Int64?) {
        let zone = timing.timeZone.flatMap(ZoneRules.named) ?? .utc
        let early: (Int64) -> Int64 = timing.allDay ? { $0 - 14 * 3600 } : { zone.instant(local: $0) }
        let late: (Int64) -> Int64 = timing.allDay ? { $0 + 12 * 3600 } : { zone.instant(local: $0) }
        let length = timing.end - timing.start
        var start = early(timing.start)
        var end: Int64? = late(timing.end)
        if let rule = timing.recurrence {
            end = rule.lastOccurrence(start: timing.start, instant: timing.allDay ? { $0 } : { zone.instant(local: $0) }).map { late($0 + length) }
        }
        for exception in exceptions {
            guard let moved = exception.start, !exception.cancelled else { continue }
            start = min(start, early(moved))
            if let last = end { end = max(last, late(exception.end ?? moved + length)) }
        }
        // A day's slack each side: a span kept from a start in a DST gap, and rules the tzdata changes after
        // the event was written, still fall inside (the expander places them exactly).
        return ((start - 86_400) * 1000, end.map { ($0 + 86_400) * 1000 })
    }
}

import OzziRuntime

/// `/api/v1/calendars`: every member's built-in calendar (their zone and working hours with it), events
/// timed in a zone or all-day, recurring by RFC 5545 rules with single-occurrence changes, conflicts on
/// create, and the team's view: everyone's events, free/busy and common free slots. Times come from the
/// installed tzdata (`ZoneRules`), not from a copy bundled with a library.
struct CalendarsDomain: APIDomain {
    let calendars: CalendarStore
    let events: CalendarEventStore
    let clock: any WallClock
    /// Google Calendar, when a `google` OAuth client is configured.
    let google: GoogleCalendars?

    /// The longest range one calendar's view takes, and the team's.
    static let maxDays = 400
    static let maxTeamDays = 62

    init(_ api: APIEnvironment) throws {
        calendars = CalendarStore(database: api.database, clock: api.clock)
        events = CalendarEventStore(database: api.database, clock: api.clock)
        clock = api.clock
        google = try GoogleCalendars(api, events: events)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/calendars").addCalendarRoutes(self)
        v1.group("/calendars").addTeamCalendarRoutes(self)
        v1.group("/calendars/events").addCalendarEventRoutes(self)
        v1.group("/calendars/google").addGoogleCalendarRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(GoogleCalendarSyncJob.self) { job, message, _ in
            guard let google else { return message.ack() }
            await google.run(job, message)
        }
    }

    func maintain() async throws {
        try await google?.maintain()
    }

    var publishes: [String] {
        ["calendar.event_created", "calendar.event_updated", "calendar.event_deleted"]
    }

    /// A calendar the caller may change: their own, or any built-in one in the workspace for its admins.
    func writable(_ principal: Principal, calendarID: String) async throws -> MemberCalendar {
        guard let calendar = try await calendars.get(principal.scope, id: calendarID) else { throw APIError.notFound("calendar") }
        guard calendar.ownerID == principal.userID || principal.role >= .admin else {
            throw APIError.forbidden("only the calendar's owner or a workspace admin can change it")
        }
        // A Google calendar is changed with its owner's Google grant: by its owner alone.
        guard calendar.source != "google" || calendar.ownerID == principal.userID else {
            throw APIError.forbidden("a Google calendar is changed by its owner alone (it acts with their Google account)")
        }
        return calendar
    }

    /// The occurrences of the calendars' events in `[from, to)`, in start order. All-day events take their
    /// days in `zone` (shown as the viewer's dates) or, `inOwnersZones`, in their calendar's zone (the owner's
    /// busy day, the same whoever asks).
    func occurrences(_ scope: TenantScope, calendars: [MemberCalendar], from: Int64, to: Int64, zone: ZoneRules,
                     inOwnersZones: Bool = false) async throws -> [Occurrence] {
        let zones = inOwnersZones ? Dictionary(calendars.map { ($0.id, $0.zone) }, uniquingKeysWith: { first, _ in first }) : [:]
        return try await events.inRange(scope, calendarIDs: calendars.map(\.id), from: from, to: to).flatMap { event, exceptions in
            OccurrenceExpander.occurrences(of: event, exceptions: exceptions, from: from, to: to, floatingZone: zones[event.calendarID] ?? zone)
        }.sorted { $0.span < $1.span }
    }

    /// The owner's busy occurrences that an event's first occurrences (up to a year of them) would overlap,
    /// the event itself aside.
    func conflicts(_ scope: TenantScope, ownerID: String, event: CalendarEvent, exceptions: [EventException], zone: ZoneRules) async throws -> [Occurrence] {
        let spans = Self.candidateSpans(event, exceptions: exceptions, zone: zone)
        guard event.busy, let start = spans.first?.start, let end = spans.map(\.end).max() else { return [] }
        let owned = try await calendars.calendars(scope, ownerIDs: [ownerID])[ownerID] ?? []
        let existing = try await occurrences(scope, calendars: owned, from: start, to: max(end, start + 1), zone: zone, inOwnersZones: true)
        return Self.overlapping(spans, existing.filter { $0.event.busy && $0.event.id != event.id })
    }

    /// The same check inside the transaction that writes the event: two creates racing for one slot cannot
    /// both pass, since transactions take turns (SQLite's one writer, PostgreSQL's transaction lock).
    static func conflicts(_ tx: SQLTransaction, _ scope: TenantScope, ownerID: String, event: CalendarEvent, zone: ZoneRules) throws -> [Occurrence] {
        let spans = candidateSpans(event, exceptions: [], zone: zone)
        guard event.busy, let start = spans.first?.start, let end = spans.map(\.end).max() else { return [] }
        let owned = try tx.all(CalendarEvent.self, CalendarEvent.select + """
             WHERE e.workspace_id = ? AND c.owner_id = ? AND e.busy = 1 AND e.range_start_ms < ? AND (e.range_end_ms IS NULL OR e.range_end_ms >= ?)
            """, scope.workspaceID, ownerID, max(end, start + 1) * 1000, start * 1000)
        let zones = Dictionary(try tx.all(MemberCalendar.self, MemberCalendar.select + " WHERE workspace_id = ? AND owner_id = ?", scope.workspaceID, ownerID)
            .map { ($0.id, $0.zone) }, uniquingKeysWith: { first, _ in first })
        let existing = try owned.flatMap { other in
            let exceptions = try tx.all(EventException.self, EventException.select + " WHERE event_id = ?", other.id)
            return OccurrenceExpander.occurrences(of: other, exceptions: exceptions, from: start, to: max(end, start + 1),
                                                  floatingZone: zones[other.calendarID] ?? zone)
        }.filter { $0.event.busy }.sorted { $0.span < $1.span }
        return overlapping(spans, existing)
    }

    /// Where the event's occurrences fall in its first year.
    private static func candidateSpans(_ event: CalendarEvent, exceptions: [EventException], zone: ZoneRules) -> [ClosedOpenSpan] {
        let first = event.zone.map { $0.instant(local: event.start) } ?? zone.instant(local: event.start)
        return OccurrenceExpander.occurrences(of: event, exceptions: exceptions, from: first - 86_400, to: first + 366 * 86_400, floatingZone: zone).map(\.span)
    }

    /// The occurrences (at most 20) that overlap any of `spans`.
    private static func overlapping(_ spans: [ClosedOpenSpan], _ existing: [Occurrence]) -> [Occurrence] {
        var found: [Occurrence] = []
        for occurrence in existing where found.count < 20 {
            // Both lists are in start order: a binary search would do, but a year of a daily event is 366.
            if spans.contains(where: { $0.start < occurrence.span.end && occurrence.span.start < $0.end }) { found.append(occurrence) }
        }
        return found
    }

    /// An event as the API shows it, with its exceptions (and conflicts on create).
    func json(_ event: CalendarEvent, conflicts: [Occurrence]? = nil, viewerID: String, zone: ZoneRules) async throws -> JSONValue {
        let exceptions = try await events.exceptions(of: [event.id])[event.id] ?? []
        var object: [String: JSONValue] = [
            "id": .string(event.id), "calendar_id": .string(event.calendarID), "owner_id": .string(event.ownerID), "title": .string(event.title),
            "all_day": .bool(event.allDay), "start": .string(event.text(event.start)), "end": .string(event.text(event.end)),
            "busy": .bool(event.busy), "visibility": .string(event.isPrivate ? "private" : "default"),
            "attendees": .array(event.attendees.map(\.json)),
            "exceptions": .array(exceptions.map { $0.json(of: event) }), "etag": .string(event.etag),
            "created_at": .string(event.createdAt), "updated_at": .string(event.updatedAt),
        ]
        if let description = event.description { object["description"] = .string(description) }
        if let location = event.location { object["location"] = .string(location) }
        if let timeZone = event.timeZone { object["time_zone"] = .string(timeZone) }
        if let rule = event.recurrence { object["recurrence"] = .string(rule.text) }
        if let createdBy = event.createdBy { object["created_by"] = .string(createdBy) }
        if let conflicts { object["conflicts"] = .array(conflicts.map { $0.json(in: zone, viewerID: viewerID) }) }
        return .object(object)
    }
}

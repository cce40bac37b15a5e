import OzziRuntime

/// Applies what Google says of a calendar's events to the local copy, inside the caller's transaction:
/// a series or single event by its Google id (made, changed or deleted), one occurrence as an exception of
/// its series. Idempotent, and never backwards: an item whose etag is the one kept (our own write coming
/// back) changes nothing, and one older than the kept version (`updated`) is passed over, so a slow sync
/// cannot undo a newer write.
struct GoogleEventApplier {
    let tx: SQLTransaction
    let link: GoogleCalendarLink
    let now: String
    /// The workspace events the changes record, written by the caller with them.
    private(set) var recorded: [(TenantScope, String, JSONValue)] = []

    init(_ tx: SQLTransaction, link: GoogleCalendarLink, now: String) {
        (self.tx, self.link, self.now) = (tx, link, now)
    }

    /// A series or single event. False when its times could not be read (it is left as it was).
    @discardableResult
    mutating func applySeries(_ item: GoogleEvent) throws -> Bool {
        let existing = try tx.all("""
            SELECT id, google_etag, google_updated_ms, title, description, location, all_day, starts, ends, time_zone, rrule, busy, visibility, attendees
            FROM calendar_events WHERE calendar_id = ? AND google_id = ?
            """, link.id, item.id).first
        let id = existing?.text("id")
        if item.cancelled {
            guard let id else { return true }
            try tx.run("DELETE FROM calendar_events WHERE id = ?", id)
            record("calendar.event_deleted", id)
            return true
        }
        if let existing, let etag = item.etag, existing.text("google_etag") == etag { return true }
        if let kept = existing?.integer("google_updated_ms"), kept > item.updatedMs { return true }
        guard let fields = item.fields(calendarZone: link.timeZone) else { return false }
        let text = { (local: Int64) in fields.allDay ? LocalTime.dateText(local) : LocalTime.text(local) }
        let eventID = id ?? ResourceID.make("evt")
        let timingChanged = existing.map {
            $0.integer("all_day") != (fields.allDay ? 1 : 0) || $0.text("starts") != text(fields.start) || $0.text("ends") != text(fields.end)
                || $0.text("time_zone") != fields.timeZone || $0.text("rrule") != fields.recurrence?.text
        } ?? true
        let attendees = CalendarEventStore.json(item.attendees), visibility = item.isPrivate ? "private" : "default"
        if let existing, !timingChanged, fields.excluded.isEmpty, existing.text("title") == item.title, existing.text("description") == item.description,
           existing.text("location") == item.location, existing.integer("busy") == (fields.busy ? 1 : 0), existing.text("visibility") == visibility,
           existing.text("attendees") == attendees {
            // Google's copy of what is here already (our own write, its answer not kept yet): only its version is new.
            try tx.run("UPDATE calendar_events SET google_etag = ?, google_updated_ms = ? WHERE id = ?", item.etag, item.updatedMs, eventID)
            return true
        }
        if existing == nil {
            // The range is set below, once the exceptions are in.
            try tx.run("""
                INSERT INTO calendar_events (id, workspace_id, calendar_id, title, all_day, starts, ends, busy, visibility, attendees, range_start_ms,
                version, created_at, updated_at, google_id) VALUES (?, ?, ?, '', 0, '', '', 0, 'default', '[]', 0, 1, ?, ?, ?)
                """, eventID, link.workspaceID, link.id, now, now, item.id)
        } else if timingChanged {
            // As a local change of timing does: the occurrences the exceptions were keyed by may be gone.
            try tx.run("DELETE FROM calendar_event_exceptions WHERE event_id = ?", eventID)
        }
        for excluded in fields.excluded where fields.recurrence != nil {
            try tx.run("""
                INSERT INTO calendar_event_exceptions (event_id, original_start, cancelled) VALUES (?, ?, 1)
                ON CONFLICT (event_id, original_start) DO UPDATE SET cancelled = 1, title = NULL, description = NULL, location = NULL, starts = NULL, ends = NULL
                """, eventID, text(excluded))
        }
        let exceptions = try tx.all(EventException.self, EventException.select + " WHERE event_id = ?", eventID)
        let range = CalendarEventStore.range(fields.timing, exceptions: exceptions)
        try tx.run("""
            UPDATE calendar_events SET title = ?, description = ?, location = ?, all_day = ?, starts = ?, ends = ?, time_zone = ?, rrule = ?, busy = ?,
            visibility = ?, attendees = ?, range_start_ms = ?, range_end_ms = ?, version = version + ?, updated_at = ?, google_etag = ?, google_updated_ms = ?
            WHERE id = ?
            """, item.title, item.description, item.location, fields.allDay ? 1 : 0, text(fields.start), text(fields.end), fields.timeZone,
            fields.recurrence?.text, fields.busy ? 1 : 0, visibility, attendees,
            range.start, range.end, existing == nil ? 0 : 1, now, item.etag, item.updatedMs, eventID)
        record(existing == nil ? "calendar.event_created" : "calendar.event_updated", eventID)
        return true
    }

    /// One occurrence of a series that differs from it. False when the series is not here (yet).
    mutating func applyInstance(_ item: GoogleEvent) throws -> Bool {
        guard let seriesID = item.recurringEventID,
              let series = try tx.first(CalendarEvent.self, CalendarEvent.select + " WHERE e.calendar_id = ? AND e.google_id = ?", link.id, seriesID) else {
            return false
        }
        guard let original = item.originalStart, series.recurrence != nil else { return true }
        let zone = series.zone ?? .utc
        let originalStart = original.local(in: zone)
        let length = series.end - series.start
        let start = item.start?.local(in: zone), end = item.end?.local(in: zone)
        let moved = start != nil && (start != originalStart || end != originalStart + length)
        let exception = EventException(
            eventID: series.id, originalStart: originalStart, cancelled: item.cancelled,
            title: item.cancelled || item.title == series.title ? nil : item.title,
            description: item.cancelled || item.description == series.description ? nil : item.description,
            location: item.cancelled || item.location == series.location ? nil : item.location,
            start: moved && !item.cancelled ? start : nil, end: moved && !item.cancelled ? end : nil)
        var all = try tx.all(EventException.self, EventException.select + " WHERE event_id = ?", series.id)
        if all.contains(exception) { return true }
        all.removeAll { $0.originalStart == originalStart }
        all.append(exception)
        let range = CalendarEventStore.range(EventTiming(series), exceptions: all)
        try tx.run("DELETE FROM calendar_event_exceptions WHERE event_id = ? AND original_start = ?", series.id, series.text(originalStart))
        try tx.run("""
            INSERT INTO calendar_event_exceptions (event_id, original_start, cancelled, title, description, location, starts, ends) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, series.id, series.text(originalStart), exception.cancelled ? 1 : 0, exception.title, exception.description, exception.location,
            exception.start.map(series.text), exception.end.map(series.text))
        try tx.run("UPDATE calendar_events SET range_start_ms = ?, range_end_ms = ?, version = version + 1, updated_at = ? WHERE id = ?",
                   range.start, range.end, now, series.id)
        record("calendar.event_updated", series.id)
        return true
    }

    private mutating func record(_ type: String, _ eventID: String) {
        recorded.append((link.scope, type, ["event_id": .string(eventID), "calendar_id": .string(link.id)]))
    }
}

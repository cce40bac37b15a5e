import OzziRuntime

/// An event's fields from a create or change body, resolved against what it changes (a change names only
/// what differs) and checked as a whole: the start and end of one form, the end after the start, a zone
/// for a timed event and none for an all-day one, a rule that parses.
struct EventInput: Sendable {
    var title: String
    var description: String?
    var location: String?
    var allDay: Bool
    var start: Int64
    var end: Int64
    var timeZone: String?
    var recurrence: EventRecurrence?
    var busy: Bool
    var isPrivate: Bool
    var attendees: [Attendee]
    /// Refuse the create (409) when it overlaps the owner's busy time.
    var rejectConflicts: Bool
    /// Whether the series' timing changed (its exceptions no longer fit it).
    var timingChanged = false

    /// Longest event: 1 year.
    static let maxLength: Int64 = 366 * 86_400

    init(_ request: Request, calendar: MemberCalendar, existing: CalendarEvent?) throws {
        let body = try JSONBody(request)
        let title = try body.string("title", max: 500).map { String($0.trimmingPrefixAndSuffixSpaces()) }
        if existing == nil || title != nil, title?.isEmpty != false { throw APIError.invalidField("title", "must not be blank") }
        self.title = title ?? existing?.title ?? ""
        description = try body.fields["description"] == nil ? existing?.description : body.string("description", max: 8000)
        location = try body.fields["location"] == nil ? existing?.location : body.string("location", max: 500)

        let startText = try body.string("start", max: 19), endText = try body.string("end", max: 19)
        if existing == nil, startText == nil { throw APIError.invalidField("start", "is required") }
        let allDay = startText.map { $0.count == 10 } ?? existing?.allDay ?? false
        self.allDay = allDay
        func read(_ text: String?, _ field: String) throws -> Int64? {
            guard let text else { return nil }
            if allDay {
                guard let date = LocalTime.date(text) else { throw APIError.invalidField(field, "'\(text)' is not a date (YYYY-MM-DD), as the start of an all-day event is") }
                return date
            }
            guard let time = LocalTime.dateTime(text) else {
                throw APIError.invalidField(field, "'\(text)' is not a local time (YYYY-MM-DDTHH:MM[:SS], no offset: the zone is time_zone) or a date")
            }
            return time
        }
        let start = try read(startText, "start")
        let end = try read(endText, "end")
        for (value, field) in [(start, "start"), (end, "end")] {
            if let value, !LocalTime.isInRange(value) {
                throw APIError.invalidField(field, "must be in the years \(LocalTime.years.lowerBound) to \(LocalTime.years.upperBound)")
            }
        }
        if let existing, start != nil, allDay != existing.allDay, end == nil {
            throw APIError.invalidField("end", "is required when an event changes between all-day and timed")
        }
        self.start = start ?? existing?.start ?? 0
        // Without an end: an hour, or one day; a moved start keeps the event's length.
        let length = existing.map { $0.end - $0.start } ?? (allDay ? 86_400 : 3600)
        self.end = end ?? (self.start + length)
        guard self.end > self.start || (!allDay && self.end == self.start) else {
            throw APIError.invalidField("end", allDay ? "must be after start (an all-day end is the day after the last day)" : "must not be before start")
        }
        guard self.end - self.start <= Self.maxLength else { throw APIError.invalidField("end", "an event lasts at most 366 days") }

        let zone = try body.string("time_zone", max: 64)
        if allDay {
            if zone != nil { throw APIError.invalidField("time_zone", "an all-day event has no time zone: its dates are the same days everywhere") }
            timeZone = nil
        } else {
            timeZone = zone ?? existing?.timeZone ?? calendar.timeZone
            if let timeZone, ZoneRules.named(timeZone) == nil {
                throw APIError.invalidField("time_zone", "'\(timeZone)' is not an installed IANA time zone (like America/New_York)")
            }
        }

        if let text = try body.string("recurrence", max: 500) {
            do {
                recurrence = try EventRecurrence(parsing: text)
            } catch {
                throw APIError.invalidField("recurrence", error.description)
            }
        } else {
            recurrence = existing?.recurrence
        }
        busy = try body.bool("busy") ?? existing?.busy ?? !allDay
        isPrivate = try body.choice("visibility", ["default", "private"]).map { $0 == "private" } ?? existing?.isPrivate ?? false
        attendees = try Attendee.list(body.fields["attendees"]) ?? existing?.attendees ?? []
        rejectConflicts = try body.bool("reject_conflicts") ?? false
        if let existing {
            timingChanged = self.start != existing.start || self.end != existing.end || allDay != existing.allDay
                || timeZone != existing.timeZone || recurrence != existing.recurrence
        }
    }

    /// The local times as stored.
    func text(_ local: Int64) -> String {
        allDay ? LocalTime.dateText(local) : LocalTime.text(local)
    }

    static func schema(creating: Bool) -> Schema {
        let field = { (name: String, schema: Schema) -> Property in creating ? .required(name, schema) : .optional(name, schema) }
        return .object([
            field("title", Schema.text(max: 500).example("Weekly planning")),
            .optional("description", Schema.string(max: 8000)),
            .optional("location", Schema.string(max: 500).example("Room 4")),
            field("start", CalendarEvent.localTime),
            .optional("end", CalendarEvent.localTime.described("Exclusive; default: an hour after start (a day for an all-day event)")),
            .optional("time_zone", TimeZoneName.schema.described("A timed event's zone; default: the calendar's")),
            .optional("recurrence", Schema.string(min: 1, max: 500).example("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")
                .described("An RFC 5545 RRULE (FREQ DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST)")),
            .optional("busy", Schema.boolean.described("Counts against free/busy (default: true when timed, false when all-day)")),
            .optional("visibility", Schema.oneOf(["default", "private"])),
            .optional("attendees", Schema.array(Attendee.schema, max: 200)),
            .optional("reject_conflicts", Schema.boolean.described("Refuse (409, with the conflicts) rather than create an event that overlaps the owner's busy time")),
        ], closed: true)
    }
}

extension CalendarEvent {
    /// The event `input` would make on `calendar`: what a create checks for conflicts before writing it.
    init(proposed input: EventInput, on calendar: MemberCalendar, by userID: String, at now: String) {
        id = ""
        calendarID = calendar.id
        ownerID = calendar.ownerID
        (title, description, location) = (input.title, input.description, input.location)
        (allDay, start, end, timeZone, recurrence) = (input.allDay, input.start, input.end, input.timeZone, input.recurrence)
        (busy, isPrivate, attendeesJSON) = (input.busy, input.isPrivate, CalendarEventStore.json(input.attendees))
        version = 0
        createdBy = userID
        (createdAt, updatedAt) = (now, now)
    }
}

import OzziRuntime

/// An event on a member's calendar: timed (a local start and end in its zone) or all-day (dates that
/// float: the same days in every zone), once or recurring by an RRULE with its exceptions.
struct CalendarEvent: SQLRecord, Sendable {
    let id: String
    let calendarID: String
    /// The calendar's owner (joined): whose time the event takes.
    let ownerID: String
    let title: String
    let description: String?
    let location: String?
    let allDay: Bool
    /// Local seconds (`LocalTime`); an all-day end is the midnight after its last day.
    let start: Int64
    let end: Int64
    let timeZone: String?
    let recurrence: EventRecurrence?
    let busy: Bool
    let isPrivate: Bool
    /// As stored (JSON): read only when the event itself is shown, not for every occurrence of a view.
    let attendeesJSON: String
    let version: Int
    let createdBy: String?
    let createdAt: String
    let updatedAt: String

    enum Columns: String, SQLColumn {
        case id, calendar_id, owner_id, title, description, location, all_day, starts, ends, time_zone, rrule, busy, visibility, attendees, version,
             created_by, created_at, updated_at
    }

    static let select = """
        SELECT e.id, e.calendar_id, c.owner_id, e.title, e.description, e.location, e.all_day, e.starts, e.ends, e.time_zone, e.rrule, e.busy,
        e.visibility, e.attendees, e.version, e.created_by, e.created_at, e.updated_at FROM calendar_events e JOIN calendars c ON c.id = e.calendar_id
        """

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        calendarID = try row.decode(String.self, forKey: .calendar_id)
        ownerID = try row.decode(String.self, forKey: .owner_id)
        title = try row.decode(String.self, forKey: .title)
        description = try row.decodeIfPresent(String.self, forKey: .description)
        location = try row.decodeIfPresent(String.self, forKey: .location)
        allDay = try row.decode(Int.self, forKey: .all_day) != 0
        let starts = try row.decode(String.self, forKey: .starts), ends = try row.decode(String.self, forKey: .ends)
        start = (allDay ? LocalTime.date(starts) : LocalTime.dateTime(starts)) ?? 0
        end = (allDay ? LocalTime.date(ends) : LocalTime.dateTime(ends)) ?? start
        timeZone = try row.decodeIfPresent(String.self, forKey: .time_zone)
        recurrence = try row.decodeIfPresent(String.self, forKey: .rrule).flatMap { try? EventRecurrence(parsing: $0) }
        busy = try row.decode(Int.self, forKey: .busy) != 0
        isPrivate = try row.decode(String.self, forKey: .visibility) == "private"
        attendeesJSON = try row.decode(String.self, forKey: .attendees)
        version = try row.decode(Int.self, forKey: .version)
        createdBy = try row.decodeIfPresent(String.self, forKey: .created_by)
        createdAt = try row.decode(String.self, forKey: .created_at)
        updatedAt = try row.decode(String.self, forKey: .updated_at)
    }

    /// The zone's installed rules; nil for an all-day event, whose dates take the viewer's zone.
    var zone: ZoneRules? { allDay ? nil : timeZone.flatMap(ZoneRules.named) ?? .utc }

    var attendees: [Attendee] {
        (try? JSONValue(jsonBytes: Array(attendeesJSON.utf8))).flatMap { try? Attendee.list($0) } ?? []
    }

    /// The entity tag of this version (`If-Match` on a change).
    var etag: String { "\"\(version)\"" }

    /// A local time of the event as text: a date when all-day.
    func text(_ local: Int64) -> String {
        allDay ? LocalTime.dateText(local) : LocalTime.text(local)
    }
}

extension CalendarEvent: APIModel {
    static let schemaName = "CalendarEvent"
    static let localTime = Schema.string(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$")
        .example("2026-12-03T09:00:00").described("A local time in time_zone (YYYY-MM-DDTHH:MM[:SS], no offset), or a date (YYYY-MM-DD) for an all-day event")
    static let schema = Schema.object([
        .required("id", Schema.string().example("evt_01jd3k5v7n0000000000000000")),
        .required("calendar_id", Schema.string().example("cal_01jd3k5v7n0000000000000000")),
        .required("owner_id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .required("title", Schema.string().example("Weekly planning")),
        .optional("description", Schema.string()),
        .optional("location", Schema.string().example("Room 4")),
        .required("all_day", Schema.boolean),
        .required("start", localTime),
        .required("end", localTime.described("Exclusive: an all-day event's end is the day after its last day")),
        .optional("time_zone", TimeZoneName.schema.described("A timed event's zone (absent when all-day: its dates are the same days everywhere)")),
        .optional("recurrence", Schema.string().example("FREQ=WEEKLY;BYDAY=MO").described("An RFC 5545 RRULE")),
        .required("busy", Schema.boolean.described("Whether it counts against free/busy and conflicts")),
        .required("visibility", Schema.oneOf(["default", "private"]).described("private: other members see only that the time is busy")),
        .required("attendees", Schema.array(Attendee.schema)),
        .required("exceptions", Schema.array(EventException.schema).described("A recurring event's occurrences that were moved, changed or cancelled")),
        .required("etag", Schema.string().example("\"3\"").described("Send as If-Match to change or delete only this version")),
        .optional("conflicts", Schema.array(.model(Occurrence.self)).described("On create: the owner's busy occurrences it overlaps")),
        .optional("created_by", Schema.string()),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
    ], closed: true)
}

import OzziRuntime

/// One occurrence of an event in a range: the event itself, or one instance of its series (with its
/// exception's changes), placed in time.
struct Occurrence: Sendable {
    let event: CalendarEvent
    /// A recurring event's occurrence: its start as the rule makes it (the key of its exception).
    let originalStart: Int64?
    /// Local seconds in the event's zone (the dates of an all-day event).
    let start: Int64
    let end: Int64
    /// The UTC span it takes (an all-day event's days in the zone it was expanded for).
    let span: ClosedOpenSpan
    let title: String
    let description: String?
    let location: String?

    /// As the API shows it to `viewerID`, with times in `zone`: a private event of someone else is only busy time.
    func json(in zone: ZoneRules, viewerID: String) -> JSONValue {
        let hidden = event.isPrivate && event.ownerID != viewerID
        var object: [String: JSONValue] = [
            "event_id": .string(event.id), "calendar_id": .string(event.calendarID), "owner_id": .string(event.ownerID),
            "title": .string(hidden ? "Busy" : title), "all_day": .bool(event.allDay), "busy": .bool(event.busy),
            "recurring": .bool(event.recurrence != nil), "private": .bool(event.isPrivate),
            "start": .string(event.allDay ? LocalTime.dateText(start) : LocalTime.text(instant: span.start, in: zone)),
            "end": .string(event.allDay ? LocalTime.dateText(end) : LocalTime.text(instant: span.end, in: zone)),
        ]
        if let timeZone = event.timeZone { object["time_zone"] = .string(timeZone) }
        if let originalStart { object["original_start"] = .string(event.text(originalStart)) }
        if !hidden {
            if let description { object["description"] = .string(description) }
            if let location { object["location"] = .string(location) }
        }
        return .object(object)
    }
}

extension Occurrence: APIModel {
    static let schemaName = "CalendarOccurrence"
    static let schema = Schema.object([
        .required("event_id", Schema.string().example("evt_01jd3k5v7n0000000000000000")),
        .required("calendar_id", Schema.string()),
        .required("owner_id", Schema.string()),
        .required("title", Schema.string().example("Weekly planning").described("'Busy' for another member's private event")),
        .optional("description", Schema.string()),
        .optional("location", Schema.string()),
        .required("all_day", Schema.boolean),
        .required("busy", Schema.boolean),
        .required("recurring", Schema.boolean),
        .required("private", Schema.boolean),
        .required("start", Schema.string().example("2026-12-03T09:00:00-05:00")
            .described("In the requested time_zone, with its offset then; a date (YYYY-MM-DD) when all-day")),
        .required("end", Schema.string().example("2026-12-03T10:00:00-05:00")),
        .optional("time_zone", TimeZoneName.schema.described("The event's own zone")),
        .optional("original_start", CalendarEvent.localTime.described("A recurring event's occurrence: its key for changing or cancelling it alone")),
    ], closed: true)
}

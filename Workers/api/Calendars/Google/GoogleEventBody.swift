import OzziRuntime

/// A local event as Calendar v3 takes it: the whole of what we keep, so an insert and a PATCH say the same.
/// Cleared fields are sent as null (PATCH clears them) and no recurrence as an empty list.
enum GoogleEventBody {
    static func series(title: String, description: String?, location: String?, timing: EventTiming, busy: Bool, isPrivate: Bool,
                       attendees: [Attendee]) -> [String: JSONValue] {
        let zoneName = timing.timeZone ?? "UTC"
        return [
            "summary": .string(title), "description": description.map(JSONValue.string) ?? .null, "location": location.map(JSONValue.string) ?? .null,
            "start": GoogleTime.json(timing.start, allDay: timing.allDay, zoneName: zoneName),
            "end": GoogleTime.json(timing.end, allDay: timing.allDay, zoneName: zoneName),
            "recurrence": .array(timing.recurrence.map { [.string("RRULE:" + $0.text)] } ?? []),
            "attendees": .array(attendees.map { attendee in
                var object: [String: JSONValue] = ["email": .string(attendee.email), "responseStatus": .string(attendee.response_status)]
                if let name = attendee.name { object["displayName"] = .string(name) }
                return .object(object)
            }),
            "transparency": .string(busy ? "opaque" : "transparent"), "visibility": .string(isPrivate ? "private" : "public"),
        ]
    }

    /// An insert: the series with the id Google is to know it by, and no nulls (nothing to clear yet).
    static func insert(_ series: [String: JSONValue], id: String) -> JSONValue {
        var body = series.filter { $0.value != .null }
        body["id"] = .string(id)
        return .object(body)
    }

    static func series(_ input: EventInput) -> [String: JSONValue] {
        series(title: input.title, description: input.description, location: input.location, timing: EventTiming(input), busy: input.busy,
               isPrivate: input.isPrivate, attendees: input.attendees)
    }

    /// What a change alters, and only that: a PATCH leaves the rest of Google's event as Google has it (its
    /// EXDATE and RDATE lines, attendees' flags, visibility this side does not map). Timing goes whole, with
    /// the rule; nil when nothing Google keeps changed.
    static func changes(from event: CalendarEvent, to input: EventInput) -> [String: JSONValue]? {
        let whole = series(input)
        var body: [String: JSONValue] = [:]
        if input.title != event.title { body["summary"] = whole["summary"] }
        if input.description != event.description { body["description"] = whole["description"] }
        if input.location != event.location { body["location"] = whole["location"] }
        if input.timingChanged {
            for key in ["start", "end", "recurrence"] { body[key] = whole[key] }
        }
        if input.attendees != event.attendees { body["attendees"] = whole["attendees"] }
        if input.busy != event.busy { body["transparency"] = whole["transparency"] }
        if input.isPrivate != event.isPrivate { body["visibility"] = whole["visibility"] }
        return body.isEmpty ? nil : body
    }

    /// One occurrence changed (and maybe moved): what differs from the series, and its times.
    static func occurrence(_ exception: EventException, of event: CalendarEvent) -> [String: JSONValue] {
        let zoneName = event.timeZone ?? "UTC"
        let start = exception.start ?? exception.originalStart
        let end = exception.end ?? start + (event.end - event.start)
        return [
            "summary": .string(exception.title ?? event.title),
            "description": (exception.description ?? event.description).map(JSONValue.string) ?? .null,
            "location": (exception.location ?? event.location).map(JSONValue.string) ?? .null,
            "start": GoogleTime.json(start, allDay: event.allDay, zoneName: zoneName),
            "end": GoogleTime.json(end, allDay: event.allDay, zoneName: zoneName),
        ]
    }
}

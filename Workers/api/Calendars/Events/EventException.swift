import OzziRuntime

/// One occurrence of a recurring event that differs from its series: cancelled, or moved and changed.
/// It is keyed by the local start the rule gave the occurrence (`original_start`), as Google keys its
/// `originalStartTime`, so it keeps its place when the occurrence moves.
struct EventException: SQLRecord, Sendable, Equatable {
    let eventID: String
    /// Local seconds.
    let originalStart: Int64
    let cancelled: Bool
    let title: String?
    let description: String?
    let location: String?
    /// Moved: the new local start and end.
    let start: Int64?
    let end: Int64?

    enum Columns: String, SQLColumn { case event_id, original_start, cancelled, title, description, location, starts, ends }

    static let select = "SELECT event_id, original_start, cancelled, title, description, location, starts, ends FROM calendar_event_exceptions"

    init(eventID: String, originalStart: Int64, cancelled: Bool, title: String?, description: String?, location: String?, start: Int64?, end: Int64?) {
        (self.eventID, self.originalStart, self.cancelled) = (eventID, originalStart, cancelled)
        (self.title, self.description, self.location, self.start, self.end) = (title, description, location, start, end)
    }

    init(row: SQLRecordRow<Columns>) throws {
        eventID = try row.decode(String.self, forKey: .event_id)
        let original = try row.decode(String.self, forKey: .original_start)
        originalStart = LocalTime.dateTime(original) ?? LocalTime.date(original) ?? 0
        cancelled = try row.decode(Int.self, forKey: .cancelled) != 0
        title = try row.decodeIfPresent(String.self, forKey: .title)
        description = try row.decodeIfPresent(String.self, forKey: .description)
        location = try row.decodeIfPresent(String.self, forKey: .location)
        start = try row.decodeIfPresent(String.self, forKey: .starts).flatMap { LocalTime.dateTime($0) ?? LocalTime.date($0) }
        end = try row.decodeIfPresent(String.self, forKey: .ends).flatMap { LocalTime.dateTime($0) ?? LocalTime.date($0) }
    }

    func json(of event: CalendarEvent) -> JSONValue {
        var object: [String: JSONValue] = ["original_start": .string(event.text(originalStart)), "cancelled": .bool(cancelled)]
        if let title { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if let location { object["location"] = .string(location) }
        if let start { object["start"] = .string(event.text(start)) }
        if let end { object["end"] = .string(event.text(end)) }
        return .object(object)
    }

    static let schema = Schema.object([
        .required("original_start", CalendarEvent.localTime.described("The occurrence's start as the rule makes it (its key)")),
        .required("cancelled", Schema.boolean),
        .optional("title", Schema.string()),
        .optional("description", Schema.string()),
        .optional("location", Schema.string()),
        .optional("start", CalendarEvent.localTime),
        .optional("end", CalendarEvent.localTime),
    ], closed: true)
}

import OzziRuntime

/// An event as Google Calendar sends it (Calendar v3 `Event`), read in the terms of a local one.
struct GoogleEvent: Sendable {
    let id: String
    let etag: String?
    let cancelled: Bool
    /// Google's `updated`, in ms: a version older than the one kept is never applied over it.
    let updatedMs: Int64
    /// Set on one occurrence of a recurring event that differs from its series (moved, changed, cancelled).
    let recurringEventID: String?
    let originalStart: GoogleTime?
    let title: String
    let description: String?
    let location: String?
    let start: GoogleTime?
    let end: GoogleTime?
    /// The `recurrence` lines: `RRULE:`, `EXDATE...:`.
    let recurrence: [String]
    let attendees: [Attendee]
    let transparency: String?
    let isPrivate: Bool

    init?(_ json: JSONValue) {
        guard let id = json["id"]?.stringValue, !id.isEmpty else { return nil }
        self.id = id
        etag = json["etag"]?.stringValue
        cancelled = json["status"]?.stringValue == "cancelled"
        updatedMs = json["updated"]?.stringValue.flatMap(RFC3339.milliseconds) ?? 0
        recurringEventID = json["recurringEventId"]?.stringValue
        originalStart = GoogleTime(json["originalStartTime"])
        let summary = json["summary"]?.stringValue.map { String($0.trimmingPrefixAndSuffixSpaces()) } ?? ""
        title = summary.isEmpty ? "(No title)" : String(summary.prefix(500))
        description = json["description"]?.stringValue.map { String($0.prefix(8000)) }
        location = json["location"]?.stringValue.map { String($0.prefix(500)) }
        start = GoogleTime(json["start"])
        end = GoogleTime(json["end"])
        recurrence = json["recurrence"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var seen = Set<String>()
        attendees = (json["attendees"]?.arrayValue ?? []).prefix(200).compactMap { item in
            guard let email = item["email"]?.stringValue?.lowercased(), !email.isEmpty, seen.insert(email).inserted else { return nil }
            let status = item["responseStatus"]?.stringValue ?? "needsAction"
            return Attendee(email: email, name: item["displayName"]?.stringValue,
                            response_status: Attendee.responses.contains(status) ? status : "needsAction")
        }
        transparency = json["transparency"]?.stringValue
        // Only what its owner made public in Google is shown to the workspace; `default` follows the Google
        // calendar's sharing, which the workspace is not part of: to others it is busy time alone.
        isPrivate = json["visibility"]?.stringValue != "public"
    }

    /// The local fields of a series or single event (not an instance), in its own zone or else
    /// `calendarZone`; nil when its times cannot be read.
    func fields(calendarZone: String) -> Fields? {
        guard let start, let end, start.isAllDay == end.isAllDay else { return nil }
        let zoneName = start.isAllDay ? nil : (start.timeZone.flatMap { ZoneRules.named($0) != nil ? $0 : nil } ?? calendarZone)
        let zone = zoneName.flatMap(ZoneRules.named) ?? .utc
        let from = start.local(in: zone), to = max(end.local(in: zone), from)
        guard LocalTime.isInRange(from), LocalTime.isInRange(to), to - from <= EventInput.maxLength else { return nil }
        let rule = recurrence.first { $0.uppercased().hasPrefix("RRULE:") }.flatMap { try? EventRecurrence(parsing: $0) }
        var excluded: [Int64] = []
        for line in recurrence where line.uppercased().hasPrefix("EXDATE") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let tzid = line[..<colon].split(separator: ";").first { $0.uppercased().hasPrefix("TZID=") }
                .flatMap { ZoneRules.named(String($0.dropFirst(5))) }
            excluded += line[line.index(after: colon)...].split(separator: ",").compactMap { GoogleTime.basic($0, tzid: tzid, zone: zone) }
        }
        // Google leaves out `transparency` when it is its default, opaque (busy).
        let busy = transparency != "transparent"
        return Fields(allDay: start.isAllDay, start: from, end: to, timeZone: zoneName, recurrence: rule, excluded: excluded, busy: busy)
    }

    struct Fields {
        let allDay: Bool
        let start: Int64
        let end: Int64
        let timeZone: String?
        let recurrence: EventRecurrence?
        /// EXDATE occurrences, as local starts.
        let excluded: [Int64]
        let busy: Bool

        var timing: EventTiming { EventTiming(allDay: allDay, start: start, end: end, timeZone: timeZone, recurrence: recurrence) }
    }
}

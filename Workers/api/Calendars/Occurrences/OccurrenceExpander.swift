/// Places an event's occurrences in a UTC range: the event itself, or its series expanded by its rule in
/// its own zone (so a 09:00 weekly meeting is 09:00 on both sides of a DST change), minus cancelled
/// occurrences, with changed ones changed and moved ones where they moved to.
enum OccurrenceExpander {
    /// Occurrences of one event in one range at most: a daily event over a year is 366.
    static let maxPerEvent = 1500

    /// The occurrences of `event` that overlap `[from, to)` (UTC seconds), in start order. All-day events
    /// take their days in `floatingZone` (the viewer's).
    static func occurrences(of event: CalendarEvent, exceptions: [EventException], from: Int64, to: Int64, floatingZone: ZoneRules) -> [Occurrence] {
        let zone = event.zone ?? floatingZone
        let duration = event.end - event.start
        func place(_ start: Int64, _ end: Int64, original: Int64?, _ exception: EventException?) -> Occurrence? {
            var span = ClosedOpenSpan(start: zone.instant(local: start), end: zone.instant(local: end))
            // A start in a spring-forward gap moves on by the gap, an end after it does not: an hour from 02:00
            // on that day would take no time at all. It keeps its length from where it starts.
            if span.end <= span.start, end > start { span.end = span.start + (end - start) }
            // An instant event (start == end) is in the range when it starts there.
            guard span.start < to, span.end > from || (span.start == span.end && span.start >= from) else { return nil }
            return Occurrence(event: event, originalStart: original, start: start, end: end, span: span,
                              title: exception?.title ?? event.title, description: exception?.description ?? event.description,
                              location: exception?.location ?? event.location)
        }
        guard let rule = event.recurrence else {
            return place(event.start, event.end, original: nil, nil).map { [$0] } ?? []
        }
        let byStart = Dictionary(exceptions.map { ($0.originalStart, $0) }, uniquingKeysWith: { first, _ in first })
        // The local window, widened by a day each side and by the event's length: offsets differ by < 1 day.
        let localFrom = zone.local(from) - duration - 86_400, localTo = zone.local(to) + 86_400
        let instant: (Int64) -> Int64 = event.allDay ? { $0 } : { zone.instant(local: $0) }
        var found: [Occurrence] = []
        for original in rule.occurrences(start: event.start, from: localFrom, to: localTo, limit: maxPerEvent, instant: instant) {
            let exception = byStart[original]
            if let exception, exception.cancelled || exception.start != nil { continue }
            if let occurrence = place(original, original + duration, original: original, exception) { found.append(occurrence) }
        }
        // Moved occurrences, wherever they came from.
        for exception in exceptions where !exception.cancelled {
            guard let start = exception.start else { continue }
            if let occurrence = place(start, exception.end ?? start + duration, original: exception.originalStart, exception) { found.append(occurrence) }
        }
        return found.sorted { $0.span < $1.span }
    }
}

/// An event's RFC 5545 recurrence rule (the `RRULE:` lines Google Calendar sends in `recurrence`), and the
/// occurrences it gives. Pure: times are "local seconds", wall-clock seconds since 1970-01-01T00:00 as if
/// the event's zone were UTC, so that a 09:00 meeting stays at 09:00 across daylight-saving changes and
/// days are plain day numbers (`CivilDate`); the zone is needed only to compare with a UTC `UNTIL`.
///
/// Daily and longer frequencies only, without BYHOUR/BYMINUTE/BYSECOND/BYWEEKNO/BYYEARDAY: an occurrence
/// is a day, at DTSTART's time of day. DTSTART is always the first occurrence and counts toward COUNT, as
/// RFC 5545 says and Google does, even when the rule would not pick it.
struct EventRecurrence: Sendable, Equatable {
    /// The most occurrences a COUNT may ask for: 27 years of a daily event.
    static let maxCount = 10_000
    /// UNTIL as written: a UTC instant (`…Z`, UTC seconds), or a local date or date-time (local seconds).
    enum Until: Sendable, Equatable {
        case utc(Int64), local(Int64)
    }

    let frequency: RecurrenceFrequency
    /// 1...1000.
    let interval: Int
    let count: Int?
    let until: Until?
    /// Whether UNTIL was a date (`20270101`, what all-day events use) rather than a date-time at midnight:
    /// both mean the same instant, but `text` must give back the form Google expects for the event.
    let untilIsDate: Bool
    /// Sorted and without repeats, so that equal rules are equal values and print the same `text`.
    let byMonth: [Int]
    let byMonthDay: [Int]
    let byDay: [RecurrenceByDay]
    let bySetPos: [Int]
    let weekStart: RecurrenceWeekday

    /// Whether the series ends (COUNT or UNTIL).
    var isFinite: Bool { count != nil || until != nil }

    /// The canonical text (`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270101T000000Z`), parts in a fixed
    /// order and defaults (INTERVAL=1, WKST=MO) left out: what is stored and sent to Google.
    var text: String {
        var parts = ["FREQ=" + frequency.rawValue]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.text).joined(separator: ",")) }
        if !bySetPos.isEmpty { parts.append("BYSETPOS=" + bySetPos.map(String.init).joined(separator: ",")) }
        if weekStart != .MO { parts.append("WKST=" + weekStart.code) }
        if let count { parts.append("COUNT=\(count)") }
        if let until { parts.append("UNTIL=" + until.text(asDate: untilIsDate)) }
        return parts.joined(separator: ";")
    }

    /// The local starts (local seconds) of the occurrences of a series whose first occurrence starts at
    /// `start` (DTSTART, local seconds), in order, with `from <= occurrence < to`, at most `limit`.
    /// `instant` maps local seconds to UTC seconds in the event's zone (identity for all-day and floating
    /// events); it is used only to compare occurrences with a UTC `UNTIL`. COUNT counts from DTSTART even
    /// when occurrences before `from` are skipped.
    func occurrences(start: Int64, from: Int64, to: Int64, limit: Int, instant: (Int64) -> Int64) -> [Int64] {
        guard limit > 0, from < to else { return [] }
        var found: [Int64] = []
        RecurrenceExpansion(rule: self, start: start).forEach(from: from, to: to, instant: instant) { occurrence in
            found.append(occurrence)
            return found.count < limit
        }
        return found
    }

    /// The last occurrence's local start for a finite rule, nil for an infinite one: to index a series by
    /// its end. A series that would run past the year 9999 (COUNT=1000000000) ends there, as its expansion does.
    func lastOccurrence(start: Int64, instant: (Int64) -> Int64) -> Int64? {
        guard isFinite else { return nil }
        let expansion = RecurrenceExpansion(rule: self, start: start)
        // Near the end first (UNTIL=99991231 is millions of days from DTSTART), further back while nothing
        // is there (Feb 29 on a Monday comes every 28 years or more), and from DTSTART when all else fails.
        if expansion.canStartAtWindow, let end = expansion.latestBound {
            var span: Int64 = 400 * 86_400
            // Up to spans longer than all of years 1...9999 (so it ends even for a start no calendar has).
            while span < 4_000_000 * 86_400, end - span > start {
                var found: Int64?
                expansion.forEach(from: end - span, to: .max, instant: instant) { occurrence in
                    found = occurrence
                    return true
                }
                if let found { return found }
                span *= 8
            }
        }
        // DTSTART is always an occurrence, even at Int64.max where no window `from..<to` holds it.
        var last = start
        expansion.forEach(from: .min, to: .max, instant: instant) { occurrence in
            last = occurrence
            return true
        }
        return last
    }
}

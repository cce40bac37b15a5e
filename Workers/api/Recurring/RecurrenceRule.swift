import Foundation

/// When a series repeats: every `interval` days, weeks (on chosen weekdays), months (on a day of the
/// month) or years (on a month and day), at a wall-clock time in an IANA time zone, from a start date to
/// an end date or for a number of sends. Pure: dates are days since 1970 (`CivilDate`); instants come from
/// the installed tzdata through `ScheduleTime.localInstant`.
///
/// The local time is what is kept: a 09:00 send stays 09:00 across daylight-saving changes. A time that
/// does not exist (the spring gap) moves forward by the gap; one that occurs twice (the fall overlap) is
/// the first of the two. A day of the month that a month lacks (the 31st in April, Feb 29 in 2027) is the
/// month's last day — a monthly bill on the 31st goes out every month, a Feb 29 birthday on Feb 28 — not
/// skipped as plain RFC 5545 would; the `rrule` says so with RFC 7529's `SKIP=BACKWARD`.
struct RecurrenceRule: Sendable, Equatable {
    enum Frequency: String, Sendable, CaseIterable {
        case daily, weekly, monthly, yearly
    }

    /// RFC 5545's weekday codes, Monday first (weeks start on Monday, `WKST=MO`).
    enum Weekday: String, Sendable, CaseIterable, Comparable {
        case MO, TU, WE, TH, FR, SA, SU

        var index: Int { Self.allCases.firstIndex(of: self)! }

        /// The weekday of a day since 1970 (a Thursday).
        init(day: Int) {
            self = Self.allCases[((day + 3) % 7 + 7) % 7]
        }

        static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }
    }

    var frequency: Frequency
    var interval: Int
    /// Weekly: the days it goes out on.
    var weekdays: [Weekday]
    /// Monthly and yearly: the day of the month (1...31; clamped to the month's last day).
    var monthDay: Int
    /// Yearly: the month (1...12).
    var month: Int
    var hour: Int
    var minute: Int
    var zone: TimeZone
    /// The first day it may go out on, and the last (inclusive), as local dates.
    var startDay: Int
    var endDay: Int?
    /// How many sends in all.
    var count: Int?

    static let maxInterval = 99

    /// The first send after the instant `after` (milliseconds since 1970) once `planned` sends were
    /// planned, or nil when the rule has none left (its count reached, its end date passed).
    func next(after: Int64, planned: Int) -> Int64? {
        if let count, planned >= count { return nil }
        var day = firstDay(onOrAfter: localDay(of: after))
        // The day of `after` itself may hold a send that is already past: then the next day with one.
        for _ in 0..<3 {
            guard let candidate = day, let instant = instant(on: candidate) else { return nil }
            if instant > after { return instant }
            day = firstDay(onOrAfter: candidate + 1)
        }
        return nil
    }

    /// The first send on a later local date than the send at `previous` (one send a day at most, even when
    /// the time changed in between), not before `now`.
    func next(afterSendAt previous: Int64?, now: Int64, planned: Int) -> Int64? {
        next(after: max(previous.map(endOfDay) ?? now - 1, now - 1), planned: planned)
    }

    /// The last millisecond of the local date of an instant.
    func endOfDay(of milliseconds: Int64) -> Int64 {
        let (y, m, d) = CivilDate.civil(fromDays: localDay(of: milliseconds) + 1)
        return (ScheduleTime.localInstant(year: y, month: m, day: d, hour: 0, minute: 0, in: zone) ?? milliseconds) - 1
    }

    /// The send on a local date, whether or not the rule picks that date.
    func instant(on day: Int) -> Int64? {
        let (y, m, d) = CivilDate.civil(fromDays: day)
        return ScheduleTime.localInstant(year: y, month: m, day: d, hour: hour, minute: minute, in: zone)
    }

    /// The local date, in the rule's zone, of an instant.
    func localDay(of milliseconds: Int64) -> Int {
        let seconds = milliseconds.floorDivided(by: 1000)
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        return Int((seconds + Int64(offset)).floorDivided(by: 86_400))
    }

    /// The first date on or after `day` (and the start) that the rule picks, up to its end date.
    func firstDay(onOrAfter day: Int) -> Int? {
        let from = max(day, startDay)
        let found: Int?
        switch frequency {
        case .daily:
            let periods = (from - startDay + interval - 1) / interval
            found = startDay + periods * interval
        case .weekly:
            // Weeks counted from the Monday of the start's week; at most `interval` weeks to look through.
            let firstMonday = startDay - Weekday(day: startDay).index
            let days = Set(weekdays)
            found = (from...(from + 7 * interval + 7)).first { candidate in
                ((candidate - firstMonday) / 7) % interval == 0 && days.contains(Weekday(day: candidate))
            }
        case .monthly:
            let (sy, sm, _) = CivilDate.civil(fromDays: startDay)
            let (fy, fm, _) = CivilDate.civil(fromDays: from)
            let startMonth = sy * 12 + sm - 1
            var monthIndex = startMonth + ((fy * 12 + fm - 1 - startMonth + interval - 1) / interval) * interval
            var date = Self.day(year: monthIndex / 12, month: monthIndex % 12 + 1, day: monthDay)
            if date < from {
                monthIndex += interval
                date = Self.day(year: monthIndex / 12, month: monthIndex % 12 + 1, day: monthDay)
            }
            found = date
        case .yearly:
            let (sy, _, _) = CivilDate.civil(fromDays: startDay)
            let (fy, _, _) = CivilDate.civil(fromDays: from)
            var year = sy + ((fy - sy + interval - 1) / interval) * interval
            var date = Self.day(year: year, month: month, day: monthDay)
            if date < from {
                year += interval
                date = Self.day(year: year, month: month, day: monthDay)
            }
            found = date
        }
        guard let found else { return nil }
        if let endDay, found > endDay { return nil }
        return found
    }

    /// The date of `day` in a month, or the month's last day when it is shorter.
    static func day(year: Int, month: Int, day: Int) -> Int {
        CivilDate.daysFromCivil(year, month, min(day, days(year: year, month: month)))
    }

    static func days(year: Int, month: Int) -> Int {
        let first = CivilDate.daysFromCivil(year, month, 1)
        return (month == 12 ? CivilDate.daysFromCivil(year + 1, 1, 1) : CivilDate.daysFromCivil(year, month + 1, 1)) - first
    }

    /// Whether some month (or year) the rule picks lacks its day, so that it moves to the month's last day.
    var clamps: Bool {
        switch frequency {
        case .daily, .weekly: false
        case .monthly: monthDay > 28
        case .yearly: monthDay > Self.days(year: 2027, month: month)  // a common year
        }
    }

    /// The rule as an RFC 5545 `RRULE` value (`FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10`), for calendars and other
    /// systems; its start is `starts_on` at `time` in `time_zone` (DTSTART). A rule that moves missing days
    /// back to the month's end says so as RFC 7529 does (`RSCALE=GREGORIAN;...;SKIP=BACKWARD`).
    var rrule: String {
        var parts = clamps ? ["RSCALE=GREGORIAN"] : []
        parts.append("FREQ=" + frequency.rawValue.uppercased())
        if interval > 1 { parts.append("INTERVAL=\(interval)") }
        switch frequency {
        case .daily: break
        case .weekly: parts.append("BYDAY=" + weekdays.map(\.rawValue).joined(separator: ","))
        case .monthly: parts.append("BYMONTHDAY=\(monthDay)")
        case .yearly: parts += ["BYMONTH=\(month)", "BYMONTHDAY=\(monthDay)"]
        }
        if clamps { parts.append("SKIP=BACKWARD") }
        if let count {
            parts.append("COUNT=\(count)")
        } else if let endDay, let last = instant(on: endDay) {
            // UNTIL is UTC when the start has a time zone (RFC 5545 3.3.10): the end date's send time.
            let seconds = last / 1000
            let (y, m, d) = CivilDate.civil(fromDays: Int(seconds.floorDivided(by: 86_400)))
            let inDay = Int(seconds - seconds.floorDivided(by: 86_400) * 86_400)
            parts.append(String(format: "UNTIL=%04d%02d%02dT%02d%02d%02dZ", y, m, d, inDay / 3600, inDay / 60 % 60, inDay % 60))
        }
        return parts.joined(separator: ";")
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (instants before 1970 still fall on their own day).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

import Foundation

/// Wall-clock times as calendars keep them: "local seconds", the seconds since 1970-01-01T00:00 of a
/// clock reading as if its zone were UTC. An event keeps its local start and its zone, not an instant, so
/// a 09:00 meeting stays 09:00 when the zone's rules change; the instant comes from `ZoneRules` when asked.
enum LocalTime {
    /// A local date-time, `YYYY-MM-DDTHH:MM[:SS]`, without an offset; nil for anything else.
    static func dateTime(_ text: String) -> Int64? {
        guard let parts = ScheduleTime.Parts(text), parts.offsetSeconds == nil, parts.milliseconds == 0,
              let day = CivilDate.day(String(text.prefix(10))),
              parts.hour < 24, parts.minute < 60, parts.second < 60 else { return nil }
        return Int64(day) * 86_400 + Int64(parts.hour * 3600 + parts.minute * 60 + parts.second)
    }

    /// A date, `YYYY-MM-DD`, as the local seconds of its midnight.
    static func date(_ text: String) -> Int64? {
        CivilDate.day(text).map { Int64($0) * 86_400 }
    }

    /// `2026-12-03T09:00:00`.
    static func text(_ local: Int64) -> String {
        let day = local.floorDivided(by: 86_400)
        let second = Int(local - day * 86_400)
        return CivilDate.text(Int(day)) + String(format: "T%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60)
    }

    /// `2026-12-03`.
    static func dateText(_ local: Int64) -> String {
        CivilDate.text(Int(local.floorDivided(by: 86_400)))
    }

    /// An instant as RFC 3339 with the offset `zone` has then: `2026-12-03T09:00:00-05:00`.
    static func text(instant: Int64, in zone: ZoneRules) -> String {
        let offset = zone.offset(at: instant)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return text(instant + Int64(offset)) + String(format: "%@%02d:%02d", sign, minutes / 60, minutes % 60)
    }

    /// An RFC 3339 instant with `Z` or an offset, as UTC seconds (a query's `from` and `to`).
    static func instant(_ text: String) -> Int64? {
        guard let parts = ScheduleTime.Parts(text), let offset = parts.offsetSeconds else { return nil }
        return parts.utcSeconds - Int64(offset)
    }

    /// The weekday of a local day number (0 = Monday), as RFC 5545 counts weeks.
    static func weekday(day: Int64) -> Int {
        Int(((day + 3) % 7 + 7) % 7)
    }
}

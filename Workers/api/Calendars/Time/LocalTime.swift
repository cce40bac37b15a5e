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

    /// The years an event may fall in: a calendar's, not all time (a series from year 1 would be walked from
    /// there by every view).
    static let years = 1900...2200

    /// Whether a local time is inside `years`.
    static func isInRange(_ local: Int64) -> Bool {
        local >= Int64(CivilDate.daysFromCivil(years.lowerBound, 1, 1)) * 86_400
            && local < Int64(CivilDate.daysFromCivil(years.upperBound + 1, 1, 1)) * 86_400
    }

    /// A date, `YYYY-MM-DD`, as the local seconds of its midnight.
    static func date(_ text: String) -> Int64? {
        CivilDate.day(text).map { Int64($0) * 86_400 }
    }

    /// `2026-12-03T09:00:00`.
    static func text(_ local: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        append(local, time: true, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-12-03`.
    static func dateText(_ local: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        append(local, time: false, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An instant as RFC 3339 with the offset `zone` has then: `2026-12-03T09:00:00-05:00`.
    static func text(instant: Int64, in zone: ZoneRules) -> String {
        let offset = zone.offset(at: instant)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        append(instant + Int64(offset), time: true, to: &bytes)
        bytes.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let minutes = abs(offset) / 60
        digits(minutes / 60, 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(minutes % 60, 2, &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Written digit by digit: a team's month is thousands of times, and `String(format:)` costs
    /// microseconds each on Linux.
    private static func append(_ local: Int64, time: Bool, to bytes: inout [UInt8]) {
        let day = local.floorDivided(by: 86_400)
        let (y, m, d) = CivilDate.civil(fromDays: Int(day))
        if y < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(abs(y), 4, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(m, 2, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(d, 2, &bytes)
        guard time else { return }
        let second = Int(local - day * 86_400)
        bytes.append(UInt8(ascii: "T"))
        digits(second / 3600, 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2, &bytes)
    }

    private static func digits(_ value: Int, _ width: Int, _ bytes: inout [UInt8]) {
        let text = String(value)
        if text.utf8.count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.utf8.count)) }
        bytes.append(contentsOf: text.utf8)
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

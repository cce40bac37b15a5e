import Foundation
import OzziRuntime

/// When a message is due: an ISO-8601 instant (`2026-11-21T14:00:00Z`, or with an offset), or a local
/// wall-clock time (`2026-11-21T09:00:00`) in an IANA `time_zone`. A local time that falls in a
/// daylight-saving gap moves forward to the first valid instant, as calendars do.
enum ScheduleTime {
    /// Milliseconds since 1970, UTC.
    static func resolve(_ text: String?, timeZone: String?, now: Int64) throws -> Int64 {
        var zone: TimeZone?
        if let timeZone {
            guard let found = TimeZone(identifier: timeZone) else {
                throw APIError.invalidField("time_zone", "'\(timeZone)' is not an IANA time zone (like America/New_York)")
            }
            zone = found
        }
        guard let text, !text.isEmpty else { return now }
        guard let parts = Parts(text) else {
            throw APIError.invalidField("scheduled_at", "'\(text)' is not an ISO-8601 time like 2026-11-21T14:00:00Z (or a local time with time_zone)")
        }
        let due: Int64
        if let offsetSeconds = parts.offsetSeconds {
            due = (parts.utcSeconds - Int64(offsetSeconds)) * 1000 + Int64(parts.milliseconds)
        } else {
            guard let zone else {
                throw APIError.invalidField("scheduled_at", "'\(text)' has no UTC offset: add Z or an offset, or give time_zone")
            }
            guard let local = localInstant(year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute,
                                           second: parts.second, in: zone) else {
                throw APIError.invalidField("scheduled_at", "'\(text)' is not a time in \(zone.identifier)")
            }
            due = local + Int64(parts.milliseconds)
        }
        guard due <= now + 366 * 86_400_000 else { throw APIError.invalidField("scheduled_at", "is more than a year ahead") }
        return due
    }

    /// Milliseconds since 1970 of a wall-clock time in `zone` (a time in a DST gap moves forward).
    static func localInstant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0, in zone: TimeZone) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    /// The pieces of `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`.
    struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, milliseconds = 0
        var offsetSeconds: Int?

        init?(_ text: String) {
            let b = Array(text.utf8)
            func number(_ from: Int, _ count: Int) -> Int? {
                guard from + count <= b.count else { return nil }
                var n = 0
                for byte in b[from..<(from + count)] {
                    guard byte >= 48, byte <= 57 else { return nil }
                    n = n * 10 + Int(byte - 48)
                }
                return n
            }
            guard b.count >= 16, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 32, b[13] == 58,
                  let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                  let hour = number(11, 2), let minute = number(14, 2) else { return nil }
            (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
            var i = 16
            if i < b.count, b[i] == 58 {
                guard let second = number(i + 1, 2) else { return nil }
                self.second = second
                i += 3
                if i < b.count, b[i] == 46 {
                    i += 1
                    var digits = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if digits < 3 { milliseconds = milliseconds * 10 + Int(b[i] - 48) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in min(digits, 3)..<3 { milliseconds *= 10 }
                }
            }
            if i < b.count {
                if b[i] == 90 || b[i] == 122 {
                    offsetSeconds = 0
                    i += 1
                } else if b[i] == 43 || b[i] == 45, let h = number(i + 1, 2) {
                    let sign = b[i] == 45 ? -1 : 1
                    var m = 0
                    if i + 3 < b.count, b[i + 3] == 58 {
                        guard let mm = number(i + 4, 2) else { return nil }
                        (m, i) = (mm, i + 6)
                    } else if let mm = number(i + 3, 2) {
                        (m, i) = (mm, i + 5)
                    } else {
                        i += 3
                    }
                    offsetSeconds = sign * (h * 3600 + m * 60)
                } else {
                    return nil
                }
            }
            guard i == b.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        }

        /// Seconds since 1970 of the wall-clock fields read as UTC.
        var utcSeconds: Int64 {
            let days = Int64(CivilDate.daysFromCivil(year, month, day))
            return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        }
    }
}

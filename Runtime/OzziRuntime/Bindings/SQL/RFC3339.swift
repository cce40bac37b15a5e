/// RFC 3339 instants (`2026-12-01T09:30:00.000Z`, `2026-12-01t10:30:00+01:00`) read and written over the
/// proleptic Gregorian calendar, as JSON Schema's `date-time` and PostgreSQL read them. Foundation's
/// ISO 8601 style refuses offsets beyond ±18:00 and a lower-case `t` or `z`, and counts days in the Julian
/// calendar before 1582: a date-time the api's document allows would be refused or moved.
public enum RFC3339 {
    /// Milliseconds since the Unix epoch, or nil when `text` is not an RFC 3339 date-time. Digits past the
    /// millisecond are dropped; a leap second (`:60`) counts as the next minute's first, as POSIX time does.
    public static func milliseconds(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        func number(_ count: Int, _ range: ClosedRange<Int64>) -> Int64? {
            guard bytes.count >= count else { return nil }
            var value: Int64 = 0
            for byte in bytes.prefix(count) {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            bytes = bytes.dropFirst(count)
            return range.contains(value) ? value : nil
        }
        func expect(_ allowed: String) -> Bool {
            guard let byte = bytes.first, allowed.utf8.contains(byte) else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        guard let year = number(4, 0...9999), expect("-"), let month = number(2, 1...12), expect("-"),
              let day = number(2, 1...daysIn(month: month, year: year)), expect("Tt"),
              let hour = number(2, 0...23), expect(":"), let minute = number(2, 0...59), expect(":"), let second = number(2, 0...60)
        else { return nil }
        var millisecond: Int64 = 0
        if expect(".") {
            var digits = 0
            while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if digits < 3 { millisecond = millisecond * 10 + Int64(byte - UInt8(ascii: "0")) }
                digits += 1
                bytes = bytes.dropFirst()
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millisecond *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if !expect("Zz") {
            guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            bytes = bytes.dropFirst()
            guard let hours = number(2, 0...23), expect(":"), let minutes = number(2, 0...59) else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard bytes.isEmpty else { return nil }
        let seconds = daysFromEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + (minute - offsetMinutes) * 60 + second
        return seconds * 1000 + millisecond
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ` for years 0000 to 9999; nil outside them, which RFC 3339 cannot write.
    /// Written byte by byte into the string's own storage: every stored row and every answer carries
    /// instants, and padding each field as a `String` of its own cost a campaign 1.5% of its CPU.
    public static func format(milliseconds: Int64) -> String? {
        let time = UTCFields(milliseconds: milliseconds)
        guard (0...9999).contains(time.year) else { return nil }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var out = DigitWriter(buffer)
            out.digits(time.year, width: 4); out.byte("-"); out.digits(time.month, width: 2); out.byte("-")
            out.digits(time.day, width: 2); out.byte("T")
            out.digits(time.hour, width: 2); out.byte(":"); out.digits(time.minute, width: 2); out.byte(":")
            out.digits(time.second, width: 2); out.byte("."); out.digits(time.millisecond, width: 3); out.byte("Z")
            return out.count
        }
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (the civil-from-days algorithm, reversed:
    /// eras of 400 years, each year starting in March so that the leap day falls last).
    public static func daysFromEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func civil(daysFromEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

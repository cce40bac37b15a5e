/// UNTIL's three RFC 5545 forms: a date (`20270101`), a local date-time (`20270101T090000`) and a UTC one
/// (`20270101T090000Z`).
extension EventRecurrence.Until {
    /// The value and whether it was a date, or nil when the text is none of the three forms (or no real
    /// date, like 20270230).
    static func parse(_ text: Substring) -> (until: Self, isDate: Bool)? {
        let bytes = Array(text.utf8)
        guard [8, 15, 16].contains(bytes.count) else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = CivilDate.daysFromCivil(year, month, day)
        guard CivilDate.civil(fromDays: days) == (year, month, day) else { return nil }
        let midnight = Int64(days) * 86_400
        if bytes.count == 8 { return (.local(midnight), true) }
        guard bytes[8] == UInt8(ascii: "T"), let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = midnight + Int64(hour * 3600 + minute * 60 + second)
        if bytes.count == 15 { return (.local(seconds), false) }
        return bytes[15] == UInt8(ascii: "Z") ? (.utc(seconds), false) : nil
    }

    /// The RRULE text of the value, in the form it was written (a date only when it was one).
    func text(asDate: Bool) -> String {
        let seconds: Int64
        switch self {
        case .utc(let value), .local(let value): seconds = value
        }
        let days = seconds.floorDivided(by: 86_400)
        let (year, month, day) = CivilDate.civil(fromDays: Int(days))
        let date = Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2)
        if asDate, case .local = self { return date }
        let inDay = Int(seconds - days * 86_400)
        let time = "T" + Self.pad(inDay / 3600, 2) + Self.pad(inDay / 60 % 60, 2) + Self.pad(inDay % 60, 2)
        if case .utc = self { return date + time + "Z" }
        return date + time
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

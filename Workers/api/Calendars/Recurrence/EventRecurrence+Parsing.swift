/// Reading an RRULE value. Strict where a mistake would change which days an event falls on (unknown or
/// repeated parts, values out of range, parts RFC 5545 forbids together), lenient only about spelling
/// that cannot (letter case, an `RRULE:` prefix, blanks around parts, a trailing `;`).
extension EventRecurrence {
    /// Parses an RRULE value, with or without the `RRULE:` prefix, case-insensitive names and values.
    init(parsing text: String) throws(RecurrenceRuleError) {
        var body = Self.trimmed(Substring(text))
        if body.prefix(6).uppercased() == "RRULE:" { body = Self.trimmed(body.dropFirst(6)) }
        guard !body.isEmpty else { throw Self.error("the rule is empty: it needs at least FREQ, like FREQ=WEEKLY") }
        var parts = body.split(separator: ";", omittingEmptySubsequences: false)
        if parts.count > 1, Self.trimmed(parts[parts.count - 1]).isEmpty { parts.removeLast() }

        var seen: Set<String> = []
        var frequency: RecurrenceFrequency?
        var interval = 1
        var count: Int?
        var until: (until: Until, isDate: Bool)?
        var byMonth: [Int] = [], byMonthDay: [Int] = [], bySetPos: [Int] = []
        var byDay: [RecurrenceByDay] = []
        var weekStart = RecurrenceWeekday.MO
        for part in parts {
            guard !Self.trimmed(part).isEmpty else { throw Self.error("the rule has an empty part (';;')") }
            guard let equals = part.firstIndex(of: "=") else {
                throw Self.error("'\(Self.trimmed(part))' is not a NAME=VALUE part (like FREQ=WEEKLY)")
            }
            let name = Self.trimmed(part[..<equals]).uppercased()
            let written = Self.trimmed(part[part.index(after: equals)...])
            let value = Substring(written.uppercased())
            guard !name.isEmpty else { throw Self.error("'\(Self.trimmed(part))' has no part name before '='") }
            guard seen.insert(name).inserted else { throw Self.error("\(name) is given more than once") }
            switch name {
            case "FREQ":
                frequency = try Self.frequency(value, written: written)
            case "INTERVAL":
                guard let number = Self.integer(value, signed: false), (1...1000).contains(number) else {
                    throw Self.error("INTERVAL '\(written)' must be a whole number from 1 to 1000")
                }
                interval = number
            case "COUNT":
                // Bounded so a series' last occurrence is found by walking it (and no count overflows).
                guard let number = Self.integer(value, signed: false), (1...EventRecurrence.maxCount).contains(number) else {
                    throw Self.error("COUNT '\(written)' must be a whole number from 1 to \(EventRecurrence.maxCount)")
                }
                count = number
            case "UNTIL":
                guard let parsed = Until.parse(value) else {
                    throw Self.error("UNTIL '\(written)' is not a date (20270101), a local date-time (20270101T090000) or a UTC one (20270101T090000Z)")
                }
                until = parsed
            case "BYDAY":
                byDay = try Self.list(written, name: name) { item, itemWritten throws(RecurrenceRuleError) in
                    try Self.byDay(item, written: itemWritten)
                }
            case "BYMONTHDAY":
                byMonthDay = try Self.numbers(written, name: name, signed: true, magnitude: 1...31,
                                              meaning: "must be a day of the month, 1 to 31 or -31 to -1")
            case "BYMONTH":
                byMonth = try Self.numbers(written, name: name, signed: false, magnitude: 1...12,
                                           meaning: "must be a month, 1 to 12")
            case "BYSETPOS":
                bySetPos = try Self.numbers(written, name: name, signed: true, magnitude: 1...366,
                                            meaning: "must be a position in the period's set, 1 to 366 or -366 to -1")
            case "WKST":
                guard let day = RecurrenceWeekday(code: value) else {
                    throw Self.error("WKST '\(written)' is not a weekday (MO, TU, WE, TH, FR, SA or SU)")
                }
                weekStart = day
            case "BYHOUR", "BYMINUTE", "BYSECOND", "BYWEEKNO", "BYYEARDAY":
                throw Self.error("\(name) is not supported for calendar events: a series repeats on days, once a day at its start's time of day")
            default:
                throw Self.error("'\(name)' is not a supported RRULE part (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST)")
            }
        }

        guard let frequency else { throw Self.error("FREQ is missing: DAILY, WEEKLY, MONTHLY or YEARLY") }
        if count != nil, until != nil {
            throw Self.error("COUNT and UNTIL cannot both be given: a series ends after a number of occurrences or at a date (RFC 5545)")
        }
        // RFC 5545 3.3.10: ordinals count within a month or a year, so only those frequencies have them;
        // a week has no month days.
        if frequency == .daily || frequency == .weekly, let numbered = byDay.first(where: { $0.ordinal != 0 }) {
            throw Self.error("BYDAY '\(numbered.text)' has an ordinal, which only FREQ=MONTHLY and FREQ=YEARLY rules may use")
        }
        if frequency == .weekly, !byMonthDay.isEmpty {
            throw Self.error("BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545); use FREQ=MONTHLY")
        }
        if !bySetPos.isEmpty, byDay.isEmpty, byMonthDay.isEmpty, byMonth.isEmpty {
            throw Self.error("BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH to choose among (RFC 5545)")
        }

        self.init(frequency: frequency, interval: interval, count: count, until: until?.until, untilIsDate: until?.isDate ?? false,
                  byMonth: Array(Set(byMonth)).sorted(), byMonthDay: Array(Set(byMonthDay)).sorted(),
                  byDay: Array(Set(byDay)).sorted(), bySetPos: Array(Set(bySetPos)).sorted(), weekStart: weekStart)
    }

    private static func error(_ text: String) -> RecurrenceRuleError { RecurrenceRuleError(description: text) }

    private static func frequency(_ value: Substring, written: Substring) throws(RecurrenceRuleError) -> RecurrenceFrequency {
        if let frequency = RecurrenceFrequency(rawValue: String(value)) { return frequency }
        if ["SECONDLY", "MINUTELY", "HOURLY"].contains(value) {
            throw error("FREQ=\(value) is not supported for calendar events: a series repeats on days (DAILY, WEEKLY, MONTHLY or YEARLY)")
        }
        throw error("FREQ '\(written)' is not DAILY, WEEKLY, MONTHLY or YEARLY")
    }

    /// `MO`, `2TU`, `-1FR`, `+3WE`.
    private static func byDay(_ item: Substring, written: Substring) throws(RecurrenceRuleError) -> RecurrenceByDay {
        let notWeekday = error("BYDAY '\(written)' is not a weekday (MO..SU, optionally with an ordinal like 2TU or -1FR)")
        guard item.count >= 2, let weekday = RecurrenceWeekday(code: item.suffix(2)) else { throw notWeekday }
        let ordinalText = item.dropLast(2)
        if ordinalText.isEmpty { return RecurrenceByDay(ordinal: 0, weekday: weekday) }
        guard let ordinal = integer(ordinalText, signed: true) else { throw notWeekday }
        guard (1...53).contains(abs(ordinal)) else {
            throw error("BYDAY '\(written)': the ordinal must be 1 to 53 or -53 to -1")
        }
        return RecurrenceByDay(ordinal: ordinal, weekday: weekday)
    }

    /// A comma-separated list of whole numbers whose magnitude is in `magnitude` (never 0).
    private static func numbers(_ written: Substring, name: String, signed: Bool, magnitude: ClosedRange<Int>,
                                meaning: String) throws(RecurrenceRuleError) -> [Int] {
        try list(written, name: name) { item, itemWritten throws(RecurrenceRuleError) in
            guard let number = integer(item, signed: signed), magnitude.contains(abs(number)) else {
                throw error("\(name) '\(itemWritten)' \(meaning)")
            }
            return number
        }
    }

    /// The items of a comma-separated value, each read by `read` (given the item in capitals and as written).
    private static func list<T>(_ written: Substring, name: String,
                                _ read: (Substring, Substring) throws(RecurrenceRuleError) -> T) throws(RecurrenceRuleError) -> [T] {
        var values: [T] = []
        for item in written.split(separator: ",", omittingEmptySubsequences: false) {
            let itemWritten = trimmed(item)
            guard !itemWritten.isEmpty else { throw error("\(name) '\(written)' has an empty item") }
            values.append(try read(Substring(itemWritten.uppercased()), itemWritten))
        }
        return values
    }

    /// A whole number in ASCII digits, with a sign when `signed` (RFC 5545 allows `+`); nil when out of `Int`'s range.
    private static func integer(_ text: Substring, signed: Bool) -> Int? {
        var digits = text
        var negative = false
        if signed, let first = digits.first, first == "+" || first == "-" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let magnitude = Int(digits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
        return text[first...last]
    }
}

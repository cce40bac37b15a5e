import Glibc

/// A standard five-field cron expression, evaluated in UTC: minute, hour, day of month, month,
/// day of week. Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month
/// names (JAN-DEC) and weekday names (SUN-SAT; 0 and 7 are Sunday). When both day fields are
/// restricted, a day matching either runs (Vixie cron's rule). `@hourly`, `@daily`, `@weekly`,
/// `@monthly` and `@yearly` are accepted too.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let expression: String
        public let reason: String
        public var description: String { "invalid cron '\(expression)': \(reason)" }
    }

    private static let nicknames = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]
    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(_ expression: String) throws(ParseError) {
        self.expression = expression
        let text = CronSchedule.nicknames[expression.lowercased()] ?? expression
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else { throw ParseError(expression: expression, reason: "expected 5 fields, found \(fields.count)") }
        func parse(_ index: Int, _ name: String, _ range: ClosedRange<Int>, names: [String] = [], nameBase: Int = 0) throws(ParseError) -> Set<Int> {
            do {
                return try CronSchedule.field(String(fields[index]), range: range, names: names, nameBase: nameBase)
            } catch {
                throw ParseError(expression: expression, reason: "\(name) field '\(fields[index])': \(error.reason)")
            }
        }
        minutes = try parse(0, "minute", 0...59)
        hours = try parse(1, "hour", 0...23)
        days = try parse(2, "day-of-month", 1...31)
        months = try parse(3, "month", 1...12, names: CronSchedule.monthNames, nameBase: 1)
        // 7 is Sunday too; fold it onto 0.
        weekdays = Set(try parse(4, "day-of-week", 0...7, names: CronSchedule.dayNames).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    struct FieldError: Error {
        let reason: String
    }

    static func field(_ text: String, range: ClosedRange<Int>, names: [String], nameBase: Int) throws(FieldError) -> Set<Int> {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw FieldError(reason: "more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw FieldError(reason: "step '\(pieces[1])' is not a positive number") }
                step = s
            }
            let base = pieces[0]
            var low: Int, high: Int
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash], names: names, nameBase: nameBase)
                high = try value(base[base.index(after: dash)...], names: names, nameBase: nameBase)
            } else {
                low = try value(base, names: names, nameBase: nameBase)
                high = pieces.count == 2 ? range.upperBound : low
            }
            guard range.contains(low), range.contains(high) else {
                throw FieldError(reason: "values must be within \(range.lowerBound)-\(range.upperBound)")
            }
            guard low <= high else { throw FieldError(reason: "range \(low)-\(high) runs backwards") }
            result.formUnion(stride(from: low, through: high, by: step))
        }
        return result
    }

    private static func value(_ text: Substring, names: [String], nameBase: Int) throws(FieldError) -> Int {
        if let number = Int(text) { return number }
        if let index = names.firstIndex(of: text.uppercased()) { return index + nameBase }
        throw FieldError(reason: "'\(text)' is not a number\(names.isEmpty ? "" : " or a name")")
    }

    /// Whether the schedule runs in the minute starting at `epochSeconds` (UTC).
    public func matches(minuteAt epochSeconds: Int64) -> Bool {
        let t = CronSchedule.components(epochSeconds)
        return minutes.contains(t.minute) && hours.contains(t.hour) && months.contains(t.month) && dayMatches(t)
    }

    private func dayMatches(_ t: (minute: Int, hour: Int, day: Int, month: Int, weekday: Int)) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(t.day) || weekdays.contains(t.weekday)
        case (true, false): days.contains(t.day)
        case (false, true): weekdays.contains(t.weekday)
        case (false, false): true
        }
    }

    /// The first minute strictly after `epochSeconds` the schedule runs, or nil if none within 5 years
    /// (30 February, say).
    public func next(after epochSeconds: Int64) -> Int64? {
        var t = (epochSeconds / 60 + 1) * 60
        let limit = epochSeconds + 5 * 366 * 86_400
        while t <= limit {
            let c = CronSchedule.components(t)
            if !months.contains(c.month) || !dayMatches(c) {
                t = (t / 86_400 + 1) * 86_400  // next day at 00:00
                continue
            }
            if !hours.contains(c.hour) {
                t = (t / 3600 + 1) * 3600
                continue
            }
            if minutes.contains(c.minute) { return t }
            t += 60
        }
        return nil
    }

    static func components(_ epochSeconds: Int64) -> (minute: Int, hour: Int, day: Int, month: Int, weekday: Int) {
        var time = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return (Int(parts.tm_min), Int(parts.tm_hour), Int(parts.tm_mday), Int(parts.tm_mon) + 1, Int(parts.tm_wday))
    }

    public var description: String { expression }
}

import OzziRuntime

/// The POSIX TZ string in a TZif footer (RFC 8536 section 3.3): how a zone keeps time after the last
/// transition its file lists, e.g. `EST5EDT,M3.2.0,M11.1.0` or `<-03>3`. zic writes the table only as
/// far as the rules stop repeating (or to 2037 in "fat" files), so every later instant comes from here.
struct PosixZoneRule: Sendable, Equatable {
    let standardName: String
    /// Seconds east of UTC. POSIX counts the other way (`EST5` is five hours *behind* UTC); the sign is
    /// turned at parse time so nothing else has to remember it.
    let standardOffset: Int
    /// nil for a zone without daylight saving time (`<-03>3`, `IST-5:30`).
    let daylight: Daylight?

    struct Daylight: Sendable, Equatable {
        let name: String
        /// Seconds east of UTC; may be *less* than the standard offset (Europe/Dublin: `IST-1GMT0`, where
        /// Irish Standard Time is the summer time and GMT the winter "daylight" one).
        let offset: Int
        /// Written in standard local time.
        let start: Change
        /// Written in daylight local time.
        let end: Change
    }

    /// A yearly change: a day of the year and a local time on it.
    struct Change: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`, 1...365: February 29 is never counted, so day 60 is always March 1.
            case julian(Int)
            /// `n`, 0...365: February 29 is counted in leap years.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = the last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        let day: Day
        /// Seconds after local midnight: -167...167 hours (RFC 8536's extension, so that a change can
        /// land on another day than the one named, e.g. `M3.5.0/-1` or Greenland's `M3.5.0/-2`).
        let time: Int
    }

    /// The rule of a TZ string, or nil when it is not one. A daylight name without its rules is refused
    /// (POSIX leaves the default to the implementation, and zic always writes them).
    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard let standardName = scanner.name(), let standardWest = scanner.offset() else { return nil }
        self.standardName = standardName
        standardOffset = -standardWest
        if scanner.atEnd {
            daylight = nil
            return
        }
        guard let daylightName = scanner.name() else { return nil }
        // "If no offset follows dst, summer time is assumed to be one hour ahead of standard time."
        let daylightOffset = scanner.peek(",") ? standardOffset + 3600 : scanner.offset().map { -$0 }
        guard let daylightOffset, scanner.take(","), let start = scanner.change(), scanner.take(","),
              let end = scanner.change(), scanner.atEnd else { return nil }
        daylight = Daylight(name: daylightName, offset: daylightOffset, start: start, end: end)
    }

    init(standardName: String, standardOffset: Int, daylight: Daylight?) {
        self.standardName = standardName
        self.standardOffset = standardOffset
        self.daylight = daylight
    }

    /// Seconds east of UTC at a UTC instant.
    func offset(at utcSeconds: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let t = Self.clamped(utcSeconds)
        // The year is that of the standard local time; the changes of the years either side are looked at
        // too, since a change at `/-1`, `/25` or in a southern summer can fall in the neighbouring UTC year.
        let year = Self.year(of: t + Int64(standardOffset))
        var latest: (at: Int64, isDaylight: Bool)?
        var earliest: (at: Int64, isDaylight: Bool)?
        func consider(_ at: Int64, _ isDaylight: Bool) {
            if at <= t, latest.map({ at >= $0.at }) ?? true { latest = (at, isDaylight) }
            if earliest.map({ at < $0.at }) ?? true { earliest = (at, isDaylight) }
        }
        for y in year - 1...year + 1 {
            let (start, end) = Self.instants(of: daylight, standardOffset: standardOffset, year: y)
            // An end and the next start at the same instant (all-year daylight time, RFC 8536 3.3.1's
            // `EST5EDT,0/0,J365/25`) leave daylight time in force: the start, considered last, wins the tie.
            consider(end, false)
            consider(start, true)
        }
        // Before every change looked at (only for rules whose changes bunch up in one end of the year):
        // what was in force is the opposite of what the first change brings.
        let isDaylight = latest?.isDaylight ?? !(earliest?.isDaylight ?? false)
        return isDaylight ? daylight.offset : standardOffset
    }

    /// The UTC instants with `from <= at < to` at which the rule starts or ends daylight time, in order,
    /// without repeats. The caller bounds the range: each year costs two computations.
    func changeInstants(from: Int64, to: Int64) -> [Int64] {
        guard let daylight, from < to else { return [] }
        let (first, last) = (Self.year(of: Self.clamped(from)), Self.year(of: Self.clamped(to)))
        var instants: [Int64] = []
        for year in first - 1...last + 1 {
            let (start, end) = Self.instants(of: daylight, standardOffset: standardOffset, year: year)
            instants += [start, end].filter { from <= $0 && $0 < to }
        }
        var unique: [Int64] = []
        for instant in instants.sorted() where unique.last != instant { unique.append(instant) }
        return unique
    }

    /// Instants this far from 1970 (over two billion years) have no calendar meaning, but clamping them keeps
    /// the day and second arithmetic far from Int64's ends.
    static let limit: Int64 = 1 << 56

    static func clamped(_ t: Int64) -> Int64 { min(max(t, -limit), limit) }

    static func year(of t: Int64) -> Int64 {
        let days = t >= 0 ? t / 86_400 : (t + 1) / 86_400 - 1
        return RFC3339.civil(daysFromEpoch: days).year
    }

    /// The UTC instants at which daylight time starts and ends in `year`.
    static func instants(of daylight: Daylight, standardOffset: Int, year: Int64) -> (start: Int64, end: Int64) {
        (daylight.start.localSeconds(year: year) - Int64(standardOffset), daylight.end.localSeconds(year: year) - Int64(daylight.offset))
    }
}

extension PosixZoneRule.Change {
    /// Seconds since 1970 in the local time the change is written in.
    func localSeconds(year: Int64) -> Int64 {
        let january1 = RFC3339.daysFromEpoch(year: year, month: 1, day: 1)
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days: Int64
        switch day {
        case .julian(let n):
            days = january1 + Int64(n - 1) + (isLeap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            days = january1 + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = RFC3339.daysFromEpoch(year: year, month: Int64(month), day: 1)
            let next = month == 12 ? RFC3339.daysFromEpoch(year: year + 1, month: 1, day: 1)
                : RFC3339.daysFromEpoch(year: year, month: Int64(month) + 1, day: 1)
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = ((first + 4) % 7 + 7) % 7
            var dayOfMonth = (Int64(weekday) - firstWeekday + 7) % 7 + Int64(week - 1) * 7
            // Week 5 means the last such weekday, which may be in week 4.
            while first + dayOfMonth >= next { dayOfMonth -= 7 }
            days = first + dayOfMonth
        }
        return days * 86_400 + Int64(time)
    }
}

extension PosixZoneRule {
    /// Reads a TZ string byte by byte; each method consumes what it recognises and answers nil when the
    /// text is not what it expects (the caller then refuses the whole string).
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        func peek(_ character: Character) -> Bool { index < bytes.count && bytes[index] == character.asciiValue }

        mutating func take(_ character: Character) -> Bool {
            guard peek(character) else { return false }
            index += 1
            return true
        }

        /// `EST`, or `<+0530>` for names with digits or signs; at least three characters either way.
        mutating func name() -> String? {
            let quoted = take("<")
            let start = index
            while index < bytes.count, Self.isLetter(bytes[index])
                    || quoted && (Self.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            guard name.utf8.count >= 3, !quoted || take(">") else { return nil }
            return name
        }

        /// A UTC offset, `[+-]hh[:mm[:ss]]` with hours 0...24, in POSIX's west-positive seconds.
        mutating func offset() -> Int? { signedDuration(maximumHours: 24, hourDigits: 2) }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
        mutating func change() -> Change? {
            let day: Change.Day
            if take("J") {
                guard let n = number(maximumDigits: 3), (1...365).contains(n) else { return nil }
                day = .julian(n)
            } else if take("M") {
                guard let month = number(maximumDigits: 2), (1...12).contains(month), take("."),
                      let week = number(maximumDigits: 1), (1...5).contains(week), take("."),
                      let weekday = number(maximumDigits: 1), (0...6).contains(weekday) else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let n = number(maximumDigits: 3), (0...365).contains(n) else { return nil }
                day = .zeroBased(n)
            }
            guard take("/") else { return Change(day: day, time: 7200) }  // 02:00 when the time is left out
            guard let time = signedDuration(maximumHours: 167, hourDigits: 3) else { return nil }
            return Change(day: day, time: time)
        }

        /// `[+-]h[:mm[:ss]]`: the sign applies to the whole duration.
        private mutating func signedDuration(maximumHours: Int, hourDigits: Int) -> Int? {
            let negative = take("-")
            if !negative { _ = take("+") }
            guard let hours = number(maximumDigits: hourDigits), hours <= maximumHours else { return nil }
            var seconds = hours * 3600
            for unit in [60, 1] {
                guard take(":") else { break }
                guard let part = number(maximumDigits: 2), part <= 59 else { return nil }
                seconds += part * unit
            }
            return negative ? -seconds : seconds
        }

        /// One to `maximumDigits` decimal digits; more digits are refused rather than split.
        private mutating func number(maximumDigits: Int) -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, Self.isDigit(bytes[index]) {
                guard index - start < maximumDigits else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return index > start ? value : nil
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }

        private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }
}

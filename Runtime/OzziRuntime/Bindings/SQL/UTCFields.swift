/// One instant's calendar fields in UTC, over the proleptic Gregorian calendar: what an RFC 3339 date-time
/// and an RFC 5322 date both write, split from milliseconds once (floor division, so instants before 1970
/// fall in the day and second they belong to).
public struct UTCFields: Sendable {
    /// Days since 1970-01-01.
    public let dayNumber: Int64
    public let year: Int64, month: Int64, day: Int64
    public let secondOfDay: Int64
    public let millisecond: Int64

    public init(milliseconds: Int64) {
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = remainder < 0 ? seconds - 1 : seconds
        millisecond = remainder < 0 ? remainder + 1000 : remainder
        let (days, rest) = whole.quotientAndRemainder(dividingBy: 86_400)
        dayNumber = rest < 0 ? days - 1 : days
        secondOfDay = rest < 0 ? rest + 86_400 : rest
        (year, month, day) = RFC3339.civil(daysFromEpoch: dayNumber)
    }

    public var hour: Int64 { secondOfDay / 3600 }
    public var minute: Int64 { secondOfDay / 60 % 60 }
    public var second: Int64 { secondOfDay % 60 }
    /// 0 for Sunday to 6 for Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { Int((dayNumber % 7 + 7 + 4) % 7) }
}

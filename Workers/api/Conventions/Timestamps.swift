import FoundationEssentials
import OzziRuntime

/// ISO-8601 UTC instants, as the API stores and answers them.
enum Timestamp {
    static func now(_ clock: any WallClock) -> String {
        at(milliseconds: clock.milliseconds)
    }

    static func after(seconds: Int64, _ clock: any WallClock) -> String {
        at(milliseconds: clock.milliseconds + seconds * 1000)
    }

    /// The instant `milliseconds` after 1970 (how due times are kept for the engine), written from the
    /// integer itself; outside the years 0000-9999, which RFC 3339 cannot write, as `SQLDate` writes it.
    static func at(milliseconds: Int64) -> String {
        // Half a millisecond more for the Date: it keeps seconds since 2001 in a Double, so about half of all
        // millisecond instants land a hair below themselves, and the formatter truncates to the millisecond.
        RFC3339.format(milliseconds: milliseconds) ?? SQLDate.format(Date(timeIntervalSince1970: (Double(milliseconds) + 0.5) / 1000))
    }
}

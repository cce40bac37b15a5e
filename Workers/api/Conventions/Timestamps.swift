import FoundationEssentials
import OzziRuntime

/// ISO-8601 UTC instants, as the API stores and answers them.
enum Timestamp {
    static func now(_ clock: any WallClock) -> String {
        SQLDate.format(Date(timeIntervalSince1970: Double(clock.milliseconds) / 1000))
    }

    static func after(seconds: Int64, _ clock: any WallClock) -> String {
        SQLDate.format(Date(timeIntervalSince1970: Double(clock.milliseconds) / 1000 + Double(seconds)))
    }
}

import Foundation
import OzziRuntime

/// Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian), for date arithmetic
/// without a time zone (Howard Hinnant's algorithms).
enum CivilDate {
    /// Days since 1970-01-01 of a `YYYY-MM-DD` date, or nil when it is not one: exactly the texts `pattern` matches.
    static func day(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes.enumerated().allSatisfy({ index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }) else { return nil }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
        let (y, m, d) = (number(0..<4), number(5..<7), number(8..<10))
        guard (1...12).contains(m), (1...31).contains(d) else { return nil }
        let days = daysFromCivil(y, m, d)
        let (cy, cm, cd) = civil(fromDays: days)
        return (cy, cm, cd) == (y, m, d) ? days : nil  // 2026-02-30 is not a date
    }

    /// A `YYYY-MM-DD` date of the proleptic Gregorian calendar, leap days included: what `day` reads, as
    /// a regular expression for the document (so 2027-02-29 is refused by the schema, not only by `day`).
    static let pattern = "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        + "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"

    /// A calendar date in a body or a parameter.
    static let schema = Schema.string(pattern: pattern, format: "date").example("2026-12-01").patternMeaning("a date, YYYY-MM-DD")

    /// Days from 1970-01-01 (proleptic Gregorian): the runtime's calendar arithmetic, which RFC 3339 instants use too.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        Int(RFC3339.daysFromEpoch(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// The `YYYY-MM-DD` text of a day number: what `day` reads back.
    static func text(_ days: Int) -> String {
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let (year, month, day) = RFC3339.civil(daysFromEpoch: Int64(days))
        return (Int(year), Int(month), Int(day))
    }
}

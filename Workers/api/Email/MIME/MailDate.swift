/// RFC 5322 §3.3 dates (`Tue, 01 Dec 2026 09:49:24 +0000`), always in UTC.
enum MailDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The date `milliseconds` after 1970 (a `WallClock` reading).
    static func format(milliseconds: Int64) -> String {
        let seconds = Int(milliseconds.dividedRoundingDown(by: 1000))
        let day = seconds.dividedRoundingDown(by: 86_400)
        let second = seconds - day * 86_400
        let (year, month, dayOfMonth) = CivilDate.civil(fromDays: day)
        // 1970-01-01 was a Thursday.
        let weekday = (day % 7 + 7 + 4) % 7
        return "\(days[weekday]), \(two(dayOfMonth)) \(months[month - 1]) \(year) \(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) +0000"
    }

    private static func two(_ n: Int) -> String {
        n < 10 ? "0\(n)" : "\(n)"
    }
}

private extension BinaryInteger {
    func dividedRoundingDown(by divisor: Self) -> Self {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}

extension MailDate {
    /// C's `asctime` form (`Tue Dec  1 09:49:24 2026`), which an mbox `From ` line carries.
    static func asctime(milliseconds: Int64) -> String {
        let rfc = format(milliseconds: milliseconds).split(separator: " ")
        let day = rfc[1].first == "0" ? " " + rfc[1].dropFirst() : rfc[1]
        return "\(rfc[0].dropLast()) \(rfc[2]) \(day) \(rfc[4]) \(rfc[3])"
    }
}

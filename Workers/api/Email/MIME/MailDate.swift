import OzziRuntime

/// RFC 5322 §3.3 dates (`Tue, 01 Dec 2026 09:49:24 +0000`), always in UTC, and C's `asctime` form of the
/// same instant (`Tue Dec  1 09:49:24 2026`), which an mbox `From ` line carries. Every simulated email
/// writes both, so they are laid out byte by byte rather than split and joined as strings.
enum MailDate {
    private static let days = Array("SunMonTueWedThuFriSat".utf8)
    private static let months = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

    /// The date `milliseconds` after 1970 (a `WallClock` reading).
    static func format(milliseconds: Int64) -> String {
        let time = Fields(milliseconds)
        var out: [UInt8] = []
        out.reserveCapacity(31)
        out += time.weekday
        out += Array(", ".utf8)
        Self.append(&out, time.day, width: 2)
        out.append(UInt8(ascii: " "))
        out += time.month
        out.append(UInt8(ascii: " "))
        Self.append(&out, time.year, width: 4)
        out.append(UInt8(ascii: " "))
        time.clock(&out)
        out += Array(" +0000".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// `asctime`'s form: the day of the month padded with a space, the year last.
    static func asctime(milliseconds: Int64) -> String {
        let time = Fields(milliseconds)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        out += time.weekday
        out.append(UInt8(ascii: " "))
        out += time.month
        out.append(UInt8(ascii: " "))
        if time.day < 10 { out.append(UInt8(ascii: " ")) }
        Self.append(&out, time.day, width: time.day < 10 ? 1 : 2)
        out.append(UInt8(ascii: " "))
        time.clock(&out)
        out.append(UInt8(ascii: " "))
        Self.append(&out, time.year, width: 4)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decimal digits of `value`, zero-padded to `width` (a wider value keeps all its digits).
    private static func append(_ out: inout [UInt8], _ value: Int64, width: Int) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let value = value.magnitude
        var divisor: UInt64 = 1, count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(width, count) { out.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// One instant's calendar fields, in UTC.
    private struct Fields {
        let year: Int64, day: Int64, secondOfDay: Int64
        let weekday: ArraySlice<UInt8>, month: ArraySlice<UInt8>

        init(_ milliseconds: Int64) {
            let seconds = milliseconds >= 0 || milliseconds % 1000 == 0 ? milliseconds / 1000 : milliseconds / 1000 - 1
            let dayNumber = seconds >= 0 || seconds % 86_400 == 0 ? seconds / 86_400 : seconds / 86_400 - 1
            secondOfDay = seconds - dayNumber * 86_400
            let (year, month, day) = RFC3339.civil(daysFromEpoch: dayNumber)
            self.year = year
            self.day = day
            // 1970-01-01 was a Thursday.
            let weekday = Int((dayNumber % 7 + 7 + 4) % 7)
            self.weekday = MailDate.days[weekday * 3 ..< weekday * 3 + 3]
            self.month = MailDate.months[Int(month - 1) * 3 ..< Int(month) * 3]
        }

        /// `HH:MM:SS`.
        func clock(_ out: inout [UInt8]) {
            MailDate.append(&out, secondOfDay / 3600, width: 2)
            out.append(UInt8(ascii: ":"))
            MailDate.append(&out, secondOfDay / 60 % 60, width: 2)
            out.append(UInt8(ascii: ":"))
            MailDate.append(&out, secondOfDay % 60, width: 2)
        }
    }
}

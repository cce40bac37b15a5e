import OzziRuntime

/// RFC 5322 §3.3 dates (`Tue, 01 Dec 2026 09:49:24 +0000`), always in UTC, and C's `asctime` form of the
/// same instant (`Tue Dec  1 09:49:24 2026`), which an mbox `From ` line carries. Every simulated email
/// writes both, so they are laid out byte by byte rather than split and joined as strings.
enum MailDate {
    private static let days = Array("SunMonTueWedThuFriSat".utf8)
    private static let months = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)
    /// Room for any year an Int64 of milliseconds reaches (nine digits and a sign) around the fixed parts.
    private static let capacity = 40

    /// The date `milliseconds` after 1970 (a `WallClock` reading).
    static func format(milliseconds: Int64) -> String {
        let time = UTCFields(milliseconds: milliseconds)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = DigitWriter(buffer)
            out.bytes(weekday(time)); out.byte(","); out.byte(" ")
            out.digits(time.day, width: 2); out.byte(" "); out.bytes(month(time)); out.byte(" ")
            out.digits(time.year, width: 4); out.byte(" ")
            clock(time, &out)
            out.bytes(" +0000".utf8)
            return out.count
        }
    }

    /// `asctime`'s form: the day of the month padded with a space, the year last.
    static func asctime(milliseconds: Int64) -> String {
        let time = UTCFields(milliseconds: milliseconds)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = DigitWriter(buffer)
            out.bytes(weekday(time)); out.byte(" "); out.bytes(month(time)); out.byte(" ")
            if time.day < 10 { out.byte(" ") }
            out.digits(time.day, width: 1); out.byte(" ")
            clock(time, &out)
            out.byte(" "); out.digits(time.year, width: 4)
            return out.count
        }
    }

    private static func weekday(_ time: UTCFields) -> ArraySlice<UInt8> {
        days[time.weekday * 3 ..< time.weekday * 3 + 3]
    }

    private static func month(_ time: UTCFields) -> ArraySlice<UInt8> {
        months[Int(time.month - 1) * 3 ..< Int(time.month) * 3]
    }

    /// `HH:MM:SS`.
    private static func clock(_ time: UTCFields, _ out: inout DigitWriter) {
        out.digits(time.hour, width: 2); out.byte(":"); out.digits(time.minute, width: 2); out.byte(":")
        out.digits(time.second, width: 2)
    }
}

import Foundation
import Testing
@testable import OzziRuntime

@Suite struct RFC3339Tests {
    @Test func readsWhatJSONSchemaCallsADateTime() {
        #expect(RFC3339.milliseconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.milliseconds("2026-12-01T09:30:00.000Z") == 1_796_117_400_000)
        #expect(RFC3339.milliseconds("2026-12-01t10:30:00.5+01:00") == 1_796_117_400_500, "lower-case t, an offset, half a second")
        #expect(RFC3339.milliseconds("2026-12-01T09:30:00.123456789z") == 1_796_117_400_123, "digits past the millisecond are dropped")
        // Offsets up to ±23:59, which Foundation refuses beyond ±18:00.
        #expect(RFC3339.milliseconds("2020-10-14T04:14:03+19:53") == RFC3339.milliseconds("2020-10-13T08:21:03Z"))
        #expect(RFC3339.milliseconds("2020-10-14T04:14:03-23:59") == RFC3339.milliseconds("2020-10-15T04:13:03Z"))
        // Before 1582 the days are Gregorian, as PostgreSQL and JSON Schema count them.
        #expect(RFC3339.milliseconds("0957-10-14T04:14:03+19:53") == RFC3339.milliseconds("0957-10-13T08:21:03Z"))
        #expect(RFC3339.milliseconds("0000-03-01T00:00:00Z") == -62_162_035_200_000)
        #expect(RFC3339.milliseconds("2024-02-29T00:00:00Z") != nil && RFC3339.milliseconds("2000-02-29T00:00:00Z") != nil)
        #expect(RFC3339.milliseconds("2016-12-31T23:59:60Z") == RFC3339.milliseconds("2017-01-01T00:00:00Z"), "a leap second")
    }

    @Test func refusesWhatIsNotOne() {
        for text in ["", "2026-12-01", "2026-12-01T09:30Z", "2026-12-01T09:30:00", "2026-12-01 09:30:00Z", "2026-13-01T00:00:00Z",
                     "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T09:60:00Z",
                     "2026-12-01T09:30:61Z", "2026-12-01T09:30:00.Z", "2026-12-01T09:30:00+24:00", "2026-12-01T09:30:00+05:60",
                     "2026-12-01T09:30:00+0530", "2026-12-01T09:30:00Z ", "+2026-12-01T09:30:00Z", "２026-12-01T09:30:00Z", "12026-12-01T09:30:00Z"] {
            #expect(RFC3339.milliseconds(text) == nil, "\(text)")
        }
    }

    @Test func writesUTCWithMillisecondsAndReadsItBack() {
        #expect(RFC3339.format(milliseconds: 1_796_117_400_123) == "2026-12-01T09:30:00.123Z")
        #expect(RFC3339.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(milliseconds: -62_162_035_200_000) == "0000-03-01T00:00:00.000Z")
        #expect(RFC3339.format(milliseconds: 253_402_300_800_000) == nil, "year 10000")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &generator)
            let text = RFC3339.format(milliseconds: milliseconds)
            #expect(text.flatMap(RFC3339.milliseconds) == milliseconds, "\(milliseconds) \(text ?? "nil")")
        }
        // The same text Foundation writes for the dates the api stores.
        let now = Date(timeIntervalSince1970: 1_796_117_400.125)
        #expect(SQLDate.format(now) == now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    @Test func splitsAnInstantIntoUTCFields() {
        let before1970 = UTCFields(milliseconds: -1)
        #expect((before1970.year, before1970.month, before1970.day) == (1969, 12, 31))
        #expect((before1970.hour, before1970.minute, before1970.second, before1970.millisecond) == (23, 59, 59, 999))
        #expect(before1970.weekday == 3, "1969-12-31 was a Wednesday")
        let instant = UTCFields(milliseconds: 1_796_117_400_123)
        #expect((instant.dayNumber, instant.secondOfDay, instant.weekday) == (20_788, 34_200, 2), "2026-12-01 09:30, a Tuesday")
    }

    @Test func writesPaddedDigits() {
        let text = String(unsafeUninitializedCapacity: 32) { buffer in
            var out = DigitWriter(buffer)
            out.digits(7, width: 3); out.byte(" "); out.digits(12_345, width: 2); out.byte(" "); out.digits(-42, width: 4)
            out.byte(" "); out.digits(0, width: 1); out.bytes("!".utf8)
            return out.count
        }
        #expect(text == "007 12345 -0042 0!")
    }
}

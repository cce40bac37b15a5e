import OzziRuntime
import Testing
@testable import APIWorker

/// A calling window (`BusinessHours`) read in any zone: whether it is open, and when it next opens —
/// later today, on a later day, across a daylight-saving change, or never.
@Suite struct CallingWindowTests {
    /// Weekdays 09:00-12:00 and 13:00-17:00, in New York unless a contact's zone says otherwise.
    let window = try! BusinessHours.parse(["time_zone": "America/New_York", "weekly": [
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]], "wed": [["09:00", "17:00"]],
        "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]],
    ]], field: "calling_window")

    static func ms(_ text: String) -> Int64 { RFC3339.milliseconds(text)! }

    @Test func openAndClosedInTheWindowsOwnZoneAndAnother() {
        // Monday 2026-12-07 10:00 in New York is 15:00 UTC; in Tokyo it is Tuesday 00:00.
        let mondayTen = Self.ms("2026-12-07T15:00:00Z")
        #expect(window.isOpen(atMilliseconds: mondayTen))
        #expect(!window.isOpen(atMilliseconds: mondayTen, in: "Asia/Tokyo"))
        #expect(window.isOpen(atMilliseconds: mondayTen, in: "Europe/London"), "15:00 in London")
        #expect(!window.isOpen(atMilliseconds: Self.ms("2026-12-07T17:30:00Z")), "12:30: the lunch gap")
    }

    @Test(arguments: [
        // now (UTC), zone, expected next opening (UTC)
        ("2026-12-07T15:00:00Z", "America/New_York", "2026-12-07T15:00:00Z"),   // open: now
        ("2026-12-07T17:30:00Z", "America/New_York", "2026-12-07T18:00:00Z"),   // the lunch gap: 13:00
        ("2026-12-07T22:30:00Z", "America/New_York", "2026-12-08T14:00:00Z"),   // Monday 17:30: Tuesday 09:00
        ("2026-12-11T23:00:00Z", "America/New_York", "2026-12-14T14:00:00Z"),   // Friday evening: Monday
        ("2026-12-07T15:00:00Z", "Asia/Tokyo", "2026-12-08T00:00:00Z"),         // Tuesday 00:00 in Tokyo: 09:00 there
        ("2026-03-06T23:00:00Z", "America/New_York", "2026-03-09T13:00:00Z"),   // across the change to summer time (EDT, UTC-4)
    ])
    func nextOpeningIsInTheZonesLocalTime(now: String, zone: String, expected: String) {
        #expect(window.nextOpen(atOrAfterMilliseconds: Self.ms(now), in: zone) == Self.ms(expected))
    }

    @Test func aWindowThatNeverOpensHasNoNextOpening() throws {
        let never = try BusinessHours.parse(["time_zone": "UTC", "weekly": [:]], field: "calling_window")
        #expect(!never.opensEver && never.nextOpen(atOrAfterMilliseconds: Self.ms("2026-12-07T15:00:00Z")) == nil)
    }
}

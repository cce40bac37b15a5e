import Foundation
import OzziRuntime
import Testing
@testable import APIWorker

/// Recurrence rules without a host: the sends a rule gives, in UTC, across daylight-saving changes in both
/// directions, month ends, leap days, counts and end dates; the RRULE each one shows; and bad rules.
@Suite struct RecurrenceTests {
    static func ms(_ iso: String) -> Int64 { Int64((SQLDate.parse(iso)!.timeIntervalSince1970 * 1000).rounded()) }

    func rule(_ fields: JSONValue, zone: String? = nil, now: String = "2027-01-01T00:00:00.000Z") throws -> RecurrenceRule {
        try RecurrenceRule(json: fields, fallbackZone: zone, now: Self.ms(now))
    }

    /// Up to `limit` sends from `now` on, as the planner makes them: each after the one before.
    func sends(_ rule: RecurrenceRule, from now: String = "2027-01-01T00:00:00.000Z", limit: Int = 20) -> [String] {
        var out: [String] = []
        var after = Self.ms(now) - 1
        while out.count < limit, let next = rule.next(after: after, planned: out.count) {
            out.append(Timestamp.at(milliseconds: next))
            after = next
        }
        return out
    }

    @Test func weeklyKeepsNineOClockAcrossNewYorksChanges() throws {
        let spring = try rule(["frequency": "weekly", "weekdays": ["TH", "MO"], "time": "09:00", "time_zone": "America/New_York",
                               "starts_on": "2027-03-01", "count": 6])
        #expect(sends(spring) == [
            "2027-03-01T14:00:00.000Z", "2027-03-04T14:00:00.000Z", "2027-03-08T14:00:00.000Z", "2027-03-11T14:00:00.000Z",
            "2027-03-15T13:00:00.000Z", "2027-03-18T13:00:00.000Z",  // EDT from 14 March: still 09:00 local
        ])
        #expect(spring.rrule == "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6")
        let fall = try rule(["frequency": "weekly", "time": "09:00", "time_zone": "America/New_York", "starts_on": "2027-10-25", "count": 3])
        #expect(sends(fall) == ["2027-10-25T13:00:00.000Z", "2027-11-01T13:00:00.000Z", "2027-11-08T14:00:00.000Z"], "EST from 7 November")
        #expect(fall.weekdays == [.MO], "the weekday of starts_on")
    }

    @Test func timesInTheGapMoveForwardAndRepeatedTimesTakeTheFirst() throws {
        // Berlin: 02:00 CET becomes 03:00 CEST on 28 March 2027; 03:00 CEST becomes 02:00 CET on 31 October.
        let berlinSpring = try rule(["frequency": "weekly", "weekdays": ["SU"], "time": "02:30", "starts_on": "2027-03-21", "count": 3],
                                    zone: "Europe/Berlin")
        #expect(sends(berlinSpring) == ["2027-03-21T01:30:00.000Z", "2027-03-28T01:30:00.000Z", "2027-04-04T00:30:00.000Z"],
                "02:30 on the 28th does not exist: 03:30 CEST")
        let berlinFall = try rule(["frequency": "weekly", "weekdays": ["SU"], "time": "02:30", "time_zone": "Europe/Berlin",
                                   "starts_on": "2027-10-24", "count": 3])
        #expect(sends(berlinFall) == ["2027-10-24T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-07T01:30:00.000Z"],
                "02:30 on the 31st happens twice: the first, in CEST")
        let newYorkSpring = try rule(["frequency": "weekly", "weekdays": ["SU"], "time": "02:30", "time_zone": "America/New_York",
                                      "starts_on": "2027-03-07", "count": 3])
        #expect(sends(newYorkSpring) == ["2027-03-07T07:30:00.000Z", "2027-03-14T07:30:00.000Z", "2027-03-21T06:30:00.000Z"])
        let newYorkFall = try rule(["frequency": "weekly", "weekdays": ["SU"], "time": "01:30", "time_zone": "America/New_York",
                                    "starts_on": "2027-10-31", "count": 3])
        #expect(sends(newYorkFall) == ["2027-10-31T05:30:00.000Z", "2027-11-07T05:30:00.000Z", "2027-11-14T06:30:00.000Z"])
        // A daily Berlin send across the spring change: 09:00 local each day, an hour earlier in UTC after it.
        let daily = try rule(["frequency": "daily", "time": "09:00", "time_zone": "Europe/Berlin", "starts_on": "2027-03-27", "count": 3])
        #expect(sends(daily) == ["2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z", "2027-03-29T07:00:00.000Z"])
    }

    @Test func theThirtyFirstIsTheLastDayOfShorterMonths() throws {
        let monthly = try rule(["frequency": "monthly", "time": "09:00", "time_zone": "UTC", "starts_on": "2027-01-31", "count": 6])
        #expect(monthly.monthDay == 31)
        #expect(sends(monthly) == ["2027-01-31T09:00:00.000Z", "2027-02-28T09:00:00.000Z", "2027-03-31T09:00:00.000Z",
                                   "2027-04-30T09:00:00.000Z", "2027-05-31T09:00:00.000Z", "2027-06-30T09:00:00.000Z"])
        #expect(monthly.rrule == "RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD;COUNT=6")
        let quarterly = try rule(["frequency": "monthly", "interval": 3, "month_day": 15, "time": "12:00", "time_zone": "UTC",
                                  "starts_on": "2027-01-20", "count": 3])
        #expect(sends(quarterly) == ["2027-04-15T12:00:00.000Z", "2027-07-15T12:00:00.000Z", "2027-10-15T12:00:00.000Z"],
                "January's 15th is before the start; then every third month")
        #expect(quarterly.rrule == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=3")
    }

    @Test func aLeapDayBirthdayIsFebruaryTwentyEighthInCommonYears() throws {
        let birthday = try rule(["frequency": "yearly", "month": 2, "month_day": 29, "time": "08:00", "time_zone": "UTC", "starts_on": "2027-06-01"])
        #expect(sends(birthday, limit: 6) == ["2028-02-29T08:00:00.000Z", "2029-02-28T08:00:00.000Z", "2030-02-28T08:00:00.000Z",
                                              "2031-02-28T08:00:00.000Z", "2032-02-29T08:00:00.000Z", "2033-02-28T08:00:00.000Z"])
        #expect(birthday.rrule == "RSCALE=GREGORIAN;FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;SKIP=BACKWARD")
        let plain = try rule(["frequency": "yearly", "time": "08:00", "time_zone": "UTC", "starts_on": "2027-12-25", "interval": 2, "count": 2])
        #expect(sends(plain) == ["2027-12-25T08:00:00.000Z", "2029-12-25T08:00:00.000Z"])
        #expect(plain.rrule == "FREQ=YEARLY;INTERVAL=2;BYMONTH=12;BYMONTHDAY=25;COUNT=2")
    }

    @Test func countsEndDatesAndIntervals() throws {
        let everyOther = try rule(["frequency": "daily", "interval": 2, "time": "09:00", "time_zone": "America/New_York",
                                   "starts_on": "2027-03-10", "ends_on": "2027-03-16"])
        #expect(sends(everyOther) == ["2027-03-10T14:00:00.000Z", "2027-03-12T14:00:00.000Z", "2027-03-14T13:00:00.000Z", "2027-03-16T13:00:00.000Z"],
                "the end date is inclusive")
        #expect(everyOther.rrule == "FREQ=DAILY;INTERVAL=2;UNTIL=20270316T130000Z")
        let fortnightly = try rule(["frequency": "weekly", "interval": 2, "weekdays": ["MO", "FR"], "time": "18:30", "time_zone": "UTC",
                                    "starts_on": "2027-03-03", "count": 5])
        // Weeks count from the start's week (Monday 1 March): its Friday, then the weeks of the 15th and 29th.
        #expect(sends(fortnightly) == ["2027-03-05T18:30:00.000Z", "2027-03-15T18:30:00.000Z", "2027-03-19T18:30:00.000Z",
                                       "2027-03-29T18:30:00.000Z", "2027-04-02T18:30:00.000Z"])
        // The count is of sends planned: after three of five, two remain wherever the clock is.
        #expect(fortnightly.next(after: Self.ms("2027-03-19T18:30:00.000Z"), planned: 5) == nil)
        #expect(fortnightly.next(after: Self.ms("2027-03-19T18:30:00.000Z"), planned: 3) == Self.ms("2027-03-29T18:30:00.000Z"))
        // Without a start, today in the zone: at 15:00 UTC (11:00 in New York) today's 09:00 has passed.
        let today = try rule(["frequency": "daily", "time": "09:00", "time_zone": "America/New_York"], now: "2027-05-04T15:00:00.000Z")
        #expect(sends(today, from: "2027-05-04T15:00:00.000Z", limit: 1) == ["2027-05-05T13:00:00.000Z"])
        #expect(today.json["starts_on"] == "2027-05-04")
    }

    @Test func theNextSendIsOnALaterDayThanTheOneBefore() throws {
        // Sent Monday 09:00 in New York; the time then moves to 10:00: not a second send that Monday.
        let weekly = try rule(["frequency": "weekly", "weekdays": ["MO"], "time": "10:00", "time_zone": "America/New_York", "starts_on": "2027-03-01"])
        let mondayAtNine = Self.ms("2027-03-15T13:00:00.000Z")
        #expect(weekly.next(afterSendAt: mondayAtNine, now: mondayAtNine, planned: 3) == Self.ms("2027-03-22T14:00:00.000Z"))
        // The first send (none before it) may be today, when its time is still ahead.
        #expect(weekly.next(afterSendAt: nil, now: mondayAtNine, planned: 0) == Self.ms("2027-03-15T14:00:00.000Z"))
        // A series idle for weeks goes on from now, not from its last send.
        #expect(weekly.next(afterSendAt: Self.ms("2027-03-01T14:00:00.000Z"), now: mondayAtNine, planned: 1) == Self.ms("2027-03-15T14:00:00.000Z"))
        #expect(weekly.endOfDay(of: mondayAtNine) == Self.ms("2027-03-16T03:59:59.999Z"))
    }

    @Test func aStoredRuleReadsBackTheSameAndChangesMerge() throws {
        let first = try rule(["frequency": "weekly", "weekdays": ["WE"], "time": "07:05", "time_zone": "Asia/Tokyo", "count": 4],
                             now: "2027-02-10T00:00:00.000Z")
        let stored = first.json
        #expect(try rule(stored, now: "2030-01-01T00:00:00.000Z") == first, "defaults were filled in once")
        let later = try rule(RecurrenceRule.merged(stored, ["time": "08:00", "ends_on": "2027-12-31"]))
        #expect(later.hour == 8 && later.weekdays == [.WE] && later.count == nil && later.endDay == CivilDate.day("2027-12-31"))
        let other = try rule(RecurrenceRule.merged(stored, ["frequency": "daily", "time": "06:00", "time_zone": "UTC"]))
        #expect(other.frequency == .daily && other.count == nil, "a new frequency starts over")
    }

    @Test func badRulesNameTheirField() throws {
        func field(_ fields: JSONValue, zone: String? = "UTC") -> String? {
            do {
                _ = try rule(fields, zone: zone)
                return nil
            } catch let error as APIError {
                return error.details?["field"]?.stringValue
            } catch {
                return "\(error)"
            }
        }
        #expect(field(["frequency": "hourly", "time": "09:00"]) == "recurrence.frequency")
        #expect(field(["frequency": "daily", "time": "9:00"]) == "recurrence.time")
        #expect(field(["frequency": "daily", "time": "24:00"]) == "recurrence.time")
        #expect(field(["frequency": "daily", "time": "09:00"], zone: nil) == nil, "no zone anywhere: UTC")
        #expect(try rule(["frequency": "daily", "time": "09:00"], zone: nil).zone.secondsFromGMT() == 0)
        #expect(field(["frequency": "daily", "time": "09:00", "time_zone": "Mars/Olympus"]) == "recurrence.time_zone")
        #expect(field(["frequency": "monthly", "time": "09:00", "weekdays": ["MO"]]) == "recurrence.weekdays")
        #expect(field(["frequency": "weekly", "time": "09:00", "weekdays": ["XX"]]) == "recurrence.weekdays")
        #expect(field(["frequency": "weekly", "time": "09:00", "weekdays": []]) == "recurrence.weekdays")
        // A day some month lacks is its last day, as the document says (yearly on April 31 is April 30).
        #expect(field(["frequency": "yearly", "time": "09:00", "month": 4, "month_day": 31]) == nil)
        #expect(try rule(["frequency": "yearly", "time": "09:00", "month": 4, "month_day": 31]).clamps)
        #expect(field(["frequency": "daily", "time": "09:00", "count": 3, "ends_on": "2027-02-01"]) == "recurrence.count")
        #expect(field(["frequency": "daily", "time": "09:00", "starts_on": "2027-02-01", "ends_on": "2027-01-01"]) == "recurrence.ends_on")
        #expect(field(["frequency": "daily", "time": "09:00", "interval": 0]) == "recurrence.interval")
        #expect(field(["frequency": "daily", "time": "09:00", "starts_on": "2027-02-29"]) == "recurrence.starts_on")
        #expect(field(["frequency": "yearly", "time": "09:00", "month": 2, "month_day": 29]) == nil)
    }
}

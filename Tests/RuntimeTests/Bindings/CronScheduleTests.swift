import Testing
@testable import OzziRuntime

@Suite struct CronScheduleTests {
    // 2026-11-21T05:37:00Z is a Saturday.
    let saturday: Int64 = 1_795_239_420

    @Test func everyMinuteIsTheNextMinute() throws {
        let cron = try CronSchedule("* * * * *")
        #expect(cron.next(after: saturday) == saturday + 60)
        #expect(cron.next(after: saturday + 59) == saturday + 60)
        #expect(cron.matches(minuteAt: saturday))
    }

    @Test func listsRangesStepsAndNames() throws {
        let cron = try CronSchedule("0,30 9-17/4 * JAN-MAR,nov mon-fri")
        #expect(cron.minutes == [0, 30])
        #expect(cron.hours == [9, 13, 17])
        #expect(cron.months == [1, 2, 3, 11])
        #expect(cron.weekdays == [1, 2, 3, 4, 5])
        // From Saturday 05:37 the next run is Monday 23 November 09:00.
        #expect(cron.next(after: saturday) == 1_795_424_400)
        #expect(try CronSchedule("*/15 * * * *").minutes == [0, 15, 30, 45])
        #expect(try CronSchedule("5/20 * * * *").minutes == [5, 25, 45])
        #expect(try CronSchedule("0 0 * * 7").weekdays == [0], "7 is Sunday")
        #expect(try CronSchedule("@hourly") == CronSchedule("@hourly"))
        #expect(try CronSchedule("@daily").next(after: saturday) == 1_795_305_600)
    }

    @Test func restrictedDayOfMonthAndWeekdayMatchEither() throws {
        // The 1st of the month OR any Saturday, at midnight.
        let cron = try CronSchedule("0 0 1 * 6")
        #expect(cron.next(after: saturday) == 1_795_824_000, "Saturday 28 November comes before 1 December")
    }

    @Test func impossibleDatesHaveNoNextRun() throws {
        #expect(try CronSchedule("0 0 30 2 *").next(after: saturday) == nil)
    }

    @Test func errorsNameTheField() {
        #expect(throws: CronSchedule.ParseError.self) { try CronSchedule("* * * *") }
        do {
            _ = try CronSchedule("61 * * * *")
        } catch {
            #expect(error.description == "invalid cron '61 * * * *': minute field '61': values must be within 0-59")
        }
        do {
            _ = try CronSchedule("* * * FOO *")
        } catch {
            #expect(error.description.contains("month field 'FOO'"))
        }
        #expect(throws: CronSchedule.ParseError.self) { try CronSchedule("*/0 * * * *") }
        #expect(throws: CronSchedule.ParseError.self) { try CronSchedule("5-1 * * * *") }
    }
}

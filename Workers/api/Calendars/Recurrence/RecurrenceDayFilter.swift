/// An event rule's BY parts as bit masks, with RFC 5545's defaults from DTSTART filled in (WEEKLY: its
/// weekday; MONTHLY: its day of the month; YEARLY: its month and day), so that testing a day allocates
/// nothing and costs a few instructions: expansion tests every day of every period it looks at.
struct RecurrenceDayFilter {
    /// Bit m for month m (1...12); 0 when every month is allowed.
    let months: UInt16
    /// Bit d for BYMONTHDAY d, and bit n for BYMONTHDAY -n.
    let monthDays: UInt32
    let monthDaysFromEnd: UInt32
    /// Bit w (Monday 0) for a plain BYDAY weekday.
    let weekdays: UInt8
    /// BYDAY entries with an ordinal (MONTHLY and YEARLY only).
    let numbered: [RecurrenceByDay]
    let limitsMonthDays: Bool
    let limitsWeekdays: Bool

    init(rule: EventRecurrence, startDay: Int) {
        var byMonth = rule.byMonth, byMonthDay = rule.byMonthDay, byDay = rule.byDay
        if byDay.isEmpty, byMonthDay.isEmpty {
            let (_, month, day) = CivilDate.civil(fromDays: startDay)
            switch rule.frequency {
            case .daily: break
            case .weekly: byDay = [RecurrenceByDay(ordinal: 0, weekday: RecurrenceWeekday(day: startDay))]
            case .monthly: byMonthDay = [day]
            case .yearly:
                byMonthDay = [day]
                if byMonth.isEmpty { byMonth = [month] }
            }
        }
        months = byMonth.reduce(0) { $0 | UInt16(1) << UInt16($1) }
        monthDays = byMonthDay.filter { $0 > 0 }.reduce(0) { $0 | UInt32(1) << UInt32($1) }
        monthDaysFromEnd = byMonthDay.filter { $0 < 0 }.reduce(0) { $0 | UInt32(1) << UInt32(-$1) }
        weekdays = byDay.filter { $0.ordinal == 0 }.reduce(0) { $0 | UInt8(1) << UInt8($1.weekday.rawValue) }
        numbered = byDay.filter { $0.ordinal != 0 }
        limitsMonthDays = !byMonthDay.isEmpty
        limitsWeekdays = !byDay.isEmpty
    }

    /// Whether a day needs its month and day of the month to be tested (DAILY and WEEKLY work on day numbers).
    var needsCivilDate: Bool { months != 0 || limitsMonthDays }

    func allows(month: Int) -> Bool { months == 0 || months & (1 << UInt16(month)) != 0 }

    /// Whether a day of an allowed month is picked. `first...last` is the span ordinals count in (the month,
    /// or the year for YEARLY without BYMONTH); `weekday` is Monday 0.
    func matches(day: Int, dayOfMonth: Int, monthLength: Int, weekday: Int, first: Int, last: Int) -> Bool {
        if limitsMonthDays,
           monthDays & (1 << UInt32(dayOfMonth)) == 0, monthDaysFromEnd & (1 << UInt32(monthLength - dayOfMonth + 1)) == 0 {
            return false
        }
        guard limitsWeekdays, weekdays & (1 << UInt8(weekday)) == 0 else { return true }
        for entry in numbered where entry.weekday.rawValue == weekday {
            let nth = entry.ordinal > 0 ? (day - first) / 7 + 1 : -((last - day) / 7 + 1)
            if nth == entry.ordinal { return true }
        }
        return false
    }

    static func monthLength(year: Int, month: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

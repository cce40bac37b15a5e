/// Walks an `EventRecurrence` from its DTSTART period by period (day, week from WKST, month, year; every
/// INTERVAL-th), as RFC 5545 3.3.10 describes: the period's days that the BY parts pick, then BYSETPOS
/// over that set, then only days after DTSTART's, up to UNTIL and COUNT.
///
/// It always stops: at the window's end, at UNTIL or COUNT, at the year 9999 (RFC 5545 years have four
/// digits), or after a whole calendar cycle of periods without an occurrence — the Gregorian calendar
/// repeats every 400 years, so a rule that picks nothing in that many periods (`BYMONTH=2;BYMONTHDAY=30`)
/// never will. It starts at the window instead of DTSTART when it can tell how many occurrences COUNT
/// saw before it: always without COUNT, and when every period holds as many (`perPeriod`).
struct RecurrenceExpansion {
    let rule: EventRecurrence
    let start: Int64
    let startDay: Int
    /// Seconds since local midnight of DTSTART, every occurrence's time of day.
    let timeOfDay: Int64
    let filter: RecurrenceDayFilter
    /// Period 0: DTSTART's day (DAILY), the first day of its week (WEEKLY), its month as year * 12 + month - 1
    /// (MONTHLY), its year (YEARLY).
    let origin: Int

    static let firstDay = CivilDate.daysFromCivil(1, 1, 1)
    static let lastDay = CivilDate.daysFromCivil(9999, 12, 31)

    init(rule: EventRecurrence, start: Int64) {
        self.rule = rule
        self.start = start
        let day = start.floorDivided(by: 86_400)
        // Clamped only so that a nonsense start cannot trap; outside years 1...9999 only DTSTART is given.
        startDay = Int(max(min(day, Int64(Self.lastDay) + 1), Int64(Self.firstDay) - 1))
        let second = start % 86_400  // not start - day * 86_400, which overflows near Int64.min
        timeOfDay = second < 0 ? second + 86_400 : second
        filter = RecurrenceDayFilter(rule: rule, startDay: startDay)
        let (year, month, _) = CivilDate.civil(fromDays: startDay)
        switch rule.frequency {
        case .daily: origin = startDay
        case .weekly: origin = startDay - (RecurrenceWeekday.index(ofDay: startDay) - rule.weekStart.rawValue + 7) % 7
        case .monthly: origin = year * 12 + month - 1
        case .yearly: origin = year
        }
    }

    /// Calls `body` with each occurrence in `from..<to` in order, until it returns false.
    func forEach(from: Int64, to: Int64, instant: (Int64) -> Int64, _ body: (Int64) -> Bool) {
        func beyondUntil(_ occurrence: Int64) -> Bool {
            switch rule.until {
            case nil: false
            case .local(let until): occurrence > until
            case .utc(let until): instant(occurrence) > until
            }
        }
        // DTSTART is the first occurrence and the first counted, whether or not the rule picks it (RFC 5545 3.8.5.3).
        if from <= start, start < to, !body(start) { return }
        if let count = rule.count, count <= 1 { return }
        guard (Self.firstDay...Self.lastDay).contains(startDay) else { return }

        // COUNT counts from DTSTART, so a rule with one skips the periods before the window only when it
        // knows how many occurrences they hold.
        var period = 0
        var counted = 1
        if canStartAtWindow {
            let clamped = min(max(from, Int64(startDay) * 86_400), Int64(Self.lastDay + 1) * 86_400)
            let fromDay = Int((clamped - timeOfDay + 86_399).floorDivided(by: 86_400))
            period = firstPeriod(reaching: fromDay)
            if let perPeriod, period > 0 { counted = self.counted(before: period, perPeriod: perPeriod) }
        }
        var emptyRun = 0
        var days: [Int] = []
        days.reserveCapacity(rule.frequency == .yearly ? 366 : 31)
        var picked: [Int] = []
        while true {
            let first = firstDay(ofPeriod: period)
            guard first <= Self.lastDay else { return }
            // No occurrence of this period or a later one can be earlier than the period's first day.
            let earliest = Int64(first) * 86_400 + timeOfDay
            if earliest >= to || beyondUntil(earliest) { return }
            collect(period: period, into: &days)
            if !rule.bySetPos.isEmpty { pickSetPositions(of: &days, scratch: &picked) }
            if days.isEmpty {
                emptyRun += 1
                if emptyRun >= cycle { return }
            } else {
                emptyRun = 0
            }
            for day in days where day > startDay {
                guard day <= Self.lastDay else { return }
                let occurrence = Int64(day) * 86_400 + timeOfDay
                if beyondUntil(occurrence) { return }
                counted += 1
                if let count = rule.count, counted > count { return }
                if occurrence >= to { return }
                if occurrence >= from, !body(occurrence) { return }
            }
            period += 1
        }
    }

    /// How many occurrences every period holds when that is the same for all of them (FREQ=WEEKLY;BYDAY=MO,WE,FR:
    /// 3; the 12th of each month: 1), so that the periods before a window can be counted without walking them.
    /// Nil when months or weeks differ (BYMONTH limiting, the 31st, ordinals, BYSETPOS).
    var perPeriod: Int? {
        guard rule.bySetPos.isEmpty else { return nil }
        switch rule.frequency {
        case .daily:
            return rule.byDay.isEmpty && rule.byMonthDay.isEmpty && rule.byMonth.isEmpty ? 1 : nil
        case .weekly:
            return rule.byMonth.isEmpty ? filter.weekdays.nonzeroBitCount : nil
        case .monthly, .yearly:
            // Days 1...28, which every month has, and no weekdays.
            guard rule.byDay.isEmpty, filter.monthDaysFromEnd == 0, filter.monthDays >> 29 == 0 else { return nil }
            if rule.frequency == .monthly { return filter.months == 0 ? filter.monthDays.nonzeroBitCount : nil }
            return (filter.months == 0 ? 12 : filter.months.nonzeroBitCount) * filter.monthDays.nonzeroBitCount
        }
    }

    /// Whether the walk may begin at the window rather than at DTSTART without miscounting COUNT.
    var canStartAtWindow: Bool { rule.count == nil || perPeriod != nil }

    /// The occurrences counted before `period` starts, for a rule with `perPeriod`: DTSTART, the days of
    /// period 0 after it, and the full periods between.
    func counted(before period: Int, perPeriod: Int) -> Int {
        guard period > 0 else { return 0 }
        var days: [Int] = []
        collect(period: 0, into: &days)
        return 1 + days.count(where: { $0 > startDay }) + (period - 1) * perPeriod
    }

    /// A local time no occurrence of a finite rule is later than, when one is cheaply known: UNTIL (a day later
    /// for a UTC one: no zone is a day from UTC), or the period after the one with the COUNT-th occurrence.
    var latestBound: Int64? {
        let end = Int64(Self.lastDay + 1) * 86_400
        switch rule.until {
        case .local(let until): return min(until, end)
        case .utc(let until): return min(until, end - 86_400) + 86_400
        case nil: break
        }
        guard let count = rule.count, let perPeriod, perPeriod > 0 else { return nil }
        // Counting 1 (DTSTART) plus period 0's later days plus `perPeriod` a period; more periods than days to
        // the year 9999 end there anyway, and the clamp keeps the arithmetic in range.
        let beyondFirst = max(0, count - counted(before: 1, perPeriod: perPeriod))
        let periods = min((beyondFirst + perPeriod - 1) / perPeriod, Self.lastDay - Self.firstDay + 1)
        return min(Int64(firstDay(ofPeriod: periods + 1)) * 86_400, end)
    }

    /// Periods in a whole Gregorian cycle of 400 years (146,097 days, 20,871 weeks, 4,800 months): whatever
    /// the INTERVAL, the periods' positions in the cycle repeat within that many steps.
    var cycle: Int {
        switch rule.frequency {
        case .daily: 146_097
        case .weekly: 20_871
        case .monthly: 4_800
        case .yearly: 400
        }
    }

    func firstDay(ofPeriod period: Int) -> Int {
        let step = period * rule.interval
        switch rule.frequency {
        case .daily: return origin + step
        case .weekly: return origin + 7 * step
        case .monthly:
            let month = origin + step
            return CivilDate.daysFromCivil(month / 12, month % 12 + 1, 1)
        case .yearly: return CivilDate.daysFromCivil(origin + step, 1, 1)
        }
    }

    /// The first period that can hold an occurrence on or after `day`.
    func firstPeriod(reaching day: Int) -> Int {
        let interval = Int64(rule.interval)
        let (year, month, _) = CivilDate.civil(fromDays: day)
        let period: Int64
        switch rule.frequency {
        case .daily: period = (Int64(day - origin) + interval - 1).floorDivided(by: interval)
        case .weekly: period = Int64(day - origin).floorDivided(by: 7 * interval)
        case .monthly: period = Int64(year * 12 + month - 1 - origin).floorDivided(by: interval)
        case .yearly: period = Int64(year - origin).floorDivided(by: interval)
        }
        return Int(max(period, 0))
    }

    /// The days of a period that the BY parts pick, in order (BYSETPOS not yet applied).
    func collect(period: Int, into days: inout [Int]) {
        days.removeAll(keepingCapacity: true)
        switch rule.frequency {
        case .daily:
            let day = origin + period * rule.interval
            if picks(day) { days.append(day) }
        case .weekly:
            let first = origin + 7 * period * rule.interval
            for day in first..<(first + 7) where picks(day) { days.append(day) }
        case .monthly:
            let index = origin + period * rule.interval
            collect(year: index / 12, month: index % 12 + 1, ordinalsInYear: false, into: &days)
        case .yearly:
            let year = origin + period * rule.interval
            // Without BYMONTH a YEARLY ordinal (20MO, -1SU) counts within the year.
            let ordinalsInYear = rule.byMonth.isEmpty
            for month in 1...12 { collect(year: year, month: month, ordinalsInYear: ordinalsInYear, into: &days) }
        }
    }

    /// A DAILY or WEEKLY day (no ordinals there): BYDAY, BYMONTH and BYMONTHDAY all only limit.
    private func picks(_ day: Int) -> Bool {
        let weekday = RecurrenceWeekday.index(ofDay: day)
        guard filter.needsCivilDate else { return !filter.limitsWeekdays || filter.weekdays & (1 << UInt8(weekday)) != 0 }
        let (year, month, dayOfMonth) = CivilDate.civil(fromDays: day)
        guard filter.allows(month: month) else { return false }
        return filter.matches(day: day, dayOfMonth: dayOfMonth, monthLength: RecurrenceDayFilter.monthLength(year: year, month: month),
                              weekday: weekday, first: day, last: day)
    }

    private func collect(year: Int, month: Int, ordinalsInYear: Bool, into days: inout [Int]) {
        guard filter.allows(month: month) else { return }
        let first = CivilDate.daysFromCivil(year, month, 1)
        let length = RecurrenceDayFilter.monthLength(year: year, month: month)
        let span = ordinalsInYear
            ? (CivilDate.daysFromCivil(year, 1, 1), CivilDate.daysFromCivil(year, 12, 31))
            : (first, first + length - 1)
        let firstWeekday = RecurrenceWeekday.index(ofDay: first)
        for dayOfMonth in 1...length {
            let day = first + dayOfMonth - 1
            if filter.matches(day: day, dayOfMonth: dayOfMonth, monthLength: length, weekday: (firstWeekday + dayOfMonth - 1) % 7,
                              first: span.0, last: span.1) {
                days.append(day)
            }
        }
    }

    /// BYSETPOS: the n-th (from the end when negative) of the period's days, in date order, each once.
    private func pickSetPositions(of days: inout [Int], scratch picked: inout [Int]) {
        picked.removeAll(keepingCapacity: true)
        for position in rule.bySetPos {
            let index = position > 0 ? position - 1 : days.count + position
            if days.indices.contains(index), !picked.contains(days[index]) { picked.append(days[index]) }
        }
        picked.sort()
        swap(&days, &picked)
    }
}

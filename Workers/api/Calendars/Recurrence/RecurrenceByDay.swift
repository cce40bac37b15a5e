/// One BYDAY entry: every such weekday of the period (`TU`), or the nth one from its start (`2TU`) or end (`-1FR`).
/// The period an ordinal counts in is the month for MONTHLY, and for YEARLY the month with BYMONTH, the year without.
struct RecurrenceByDay: Sendable, Hashable, Comparable {
    /// 0 for every such weekday; otherwise ±1...±53.
    let ordinal: Int
    let weekday: RecurrenceWeekday

    var text: String { ordinal == 0 ? weekday.code : "\(ordinal)\(weekday.code)" }

    /// Weekday order (as calendars show them), then the ordinal: a canonical order for `EventRecurrence.text`.
    static func < (a: Self, b: Self) -> Bool { (a.weekday.rawValue, a.ordinal) < (b.weekday.rawValue, b.ordinal) }
}

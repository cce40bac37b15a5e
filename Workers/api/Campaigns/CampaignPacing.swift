/// Due times that space a campaign's sends at its throttle: message k of a run of planned messages is due
/// `k / throttle` seconds after the run's start. The start is the campaign's `next_due_ms` (where the pace
/// left off, kept in the row across batches and restarts) or now, whichever is later, so a batch expanded
/// late does not crowd its sends into the past.
struct CampaignPacing: Equatable, Sendable {
    let perSecond: Int
    /// How far ahead of the pace expansion may run: messages due later are not made yet.
    let aheadMs: Int64

    /// The due times of `count` messages from `nextDueMs` (or `now`, if later), and the pace after them.
    func plan(count: Int, nextDueMs: Int64, now: Int64) -> (due: [Int64], next: Int64) {
        let start = max(nextDueMs, now)
        let due = (0..<count).map { start + offset($0) }
        return (due, start + offset(count))
    }

    /// Milliseconds from a run's first message to its `k`th (a batch rounds down by under a millisecond).
    func offset(_ k: Int) -> Int64 {
        Int64(k) * 1000 / Int64(perSecond)
    }

    /// Whether the next batch may be made now: its first message is due within `aheadMs`.
    func mayExpand(nextDueMs: Int64, now: Int64) -> Bool {
        nextDueMs <= now + aheadMs
    }

    /// When to look again once expansion is ahead: as the pace comes within the window.
    func wakeDelayMs(nextDueMs: Int64, now: Int64) -> Int64 {
        max(0, nextDueMs - aheadMs - now)
    }
}

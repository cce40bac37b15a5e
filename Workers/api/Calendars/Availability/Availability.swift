/// Free/busy and common free time, from members' occurrences: pure, on UTC spans.
enum Availability {
    /// The busy spans of occurrences that count (busy ones, cancelled ones already gone), merged.
    static func busy(_ occurrences: [Occurrence]) -> [ClosedOpenSpan] {
        ClosedOpenSpan.merged(occurrences.filter(\.event.busy).map(\.span))
    }

    /// The spans within `[from, to)` where every member is inside their own working hours and not busy,
    /// at least `length` seconds long.
    static func commonFree(busy: [[ClosedOpenSpan]], working: [[ClosedOpenSpan]], from: Int64, to: Int64, length: Int64) -> [ClosedOpenSpan] {
        var free = [ClosedOpenSpan(start: from, end: to)]
        for (memberBusy, memberWorking) in zip(busy, working) {
            let available = ClosedOpenSpan.subtracting(memberBusy, from: ClosedOpenSpan.merged(memberWorking))
            free = ClosedOpenSpan.intersecting(free, available)
            if free.isEmpty { break }
        }
        return free.filter { $0.length >= length }
    }
}

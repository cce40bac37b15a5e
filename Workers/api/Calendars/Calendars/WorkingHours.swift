/// When a member works, in their calendar's zone: weekdays and a daily span. Free slots are found inside
/// every attendee's own working hours, so a meeting across zones lands where both are at work.
struct WorkingHours: Sendable, Equatable {
    /// 0 = Monday ... 6 = Sunday.
    var days: Set<Int>
    /// Minutes after local midnight.
    var start: Int
    var end: Int

    static let standard = WorkingHours(days: [0, 1, 2, 3, 4], start: 9 * 60, end: 17 * 60)
    static let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    init(days: Set<Int>, start: Int, end: Int) {
        (self.days, self.start, self.end) = (days, start, end)
    }

    /// From the stored form: `MO,TU,WE,TH,FR` and minutes.
    init(stored days: String, start: Int, end: Int) {
        self.days = Set(days.split(separator: ",").compactMap { Self.codes.firstIndex(of: String($0)) })
        (self.start, self.end) = (start, end)
    }

    var storedDays: String { days.sorted().map { Self.codes[$0] }.joined(separator: ",") }

    /// The working spans (UTC seconds) that meet `[from, to)`, computed day by day in `zone`, so a DST
    /// change moves them with the member's clock.
    func spans(from: Int64, to: Int64, in zone: ZoneRules) -> [ClosedOpenSpan] {
        guard from < to, start < end else { return [] }
        let firstDay = zone.local(from).floorDivided(by: 86_400) - 1
        let lastDay = zone.local(to).floorDivided(by: 86_400) + 1
        var spans: [ClosedOpenSpan] = []
        var day = firstDay
        while day <= lastDay {
            if days.contains(LocalTime.weekday(day: day)) {
                let span = ClosedOpenSpan(start: zone.instant(local: day * 86_400 + Int64(start) * 60),
                                          end: zone.instant(local: day * 86_400 + Int64(end) * 60))
                if let cut = span.clamped(from: from, to: to) { spans.append(cut) }
            }
            day += 1
        }
        return spans
    }

    /// `HH:MM`.
    static func text(minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// Minutes after midnight of `HH:MM` (24:00 is the day's end).
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 1440 else { return nil }
        return hours * 60 + minutes
    }
}

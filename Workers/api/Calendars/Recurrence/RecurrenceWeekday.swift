/// RFC 5545's weekday codes; the raw value counts days from Monday, so that weekday arithmetic on day
/// numbers (days since 1970-01-01) stays modular.
enum RecurrenceWeekday: Int, Sendable, CaseIterable, Comparable {
    case MO, TU, WE, TH, FR, SA, SU

    init?(code: Substring) {
        guard let found = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = found
    }

    /// The weekday of a day since 1970-01-01, which was a Thursday.
    init(day: Int) {
        self = Self.allCases[Self.index(ofDay: day)]
    }

    /// The weekday index (Monday 0) of a day since 1970-01-01, without building the enum: the expansion's hot path.
    static func index(ofDay day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }

    var code: String { String(describing: self) }

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

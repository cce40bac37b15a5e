#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OzziRuntime
import Synchronization

/// One change of a zone's offset.
struct ZoneTransition: Sendable, Equatable {
    /// UTC seconds since 1970 of the change.
    let at: Int64
    /// Seconds east of UTC.
    let offsetBefore: Int
    let offsetAfter: Int
}

/// The rules of an IANA time zone as the system's installed tzdata has them (TZif files under
/// /usr/share/zoneinfo or `$TZDIR`), not Foundation's TimeZone: on Linux that reads ICU's bundled copy,
/// which lags the system's, and a zone whose rules changed recently must be computed with the new rules.
struct ZoneRules: Sendable {
    let identifier: String

    /// Transition instants from the file's table, then the footer rule's up to `precomputedUntil`; strictly
    /// increasing.
    private let times: [Int64]
    /// The offset in force from each transition on (parallel to `times`).
    private let offsetsAfter: [Int]
    /// RFC 8536: "Local time for timestamps before the first transition is specified by the first time
    /// type (time type 0)."
    private let initialOffset: Int
    /// The footer's rule, for instants on or after the last transition (or all of them when there is none).
    private let rule: PosixZoneRule?

    static let utc = ZoneRules(identifier: "UTC", times: [], offsetsAfter: [], initialOffset: 0, rule: nil)

    static let defaultDirectory = "/usr/share/zoneinfo"

    /// Keyed by the file's path, so that a different `$TZDIR` reads its own files. Only zones found are kept:
    /// the installed zones bound its size, whereas names asked for and not found are unbounded.
    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// The footer rule's changes up to here are worked out once, when the file is read, and join the table:
    /// the instants a calendar converts (this century and the next) then cost one binary search each, and
    /// only later ones compute their year's changes.
    static let precomputedUntil = RFC3339.daysFromEpoch(year: 2200, month: 1, day: 1) * 86_400

    /// Generated footer transitions stop at the end of year 9999: a calendar has no use for later ones, and
    /// `transitions(from: .min, to: .max)` must end.
    private static let generatedRange: Range<Int64> = RFC3339.daysFromEpoch(year: 1, month: 1, day: 1) * 86_400
        ..< RFC3339.daysFromEpoch(year: 10_000, month: 1, day: 1) * 86_400

    /// The installed rules of `identifier` (cached after the first read); nil when no such zone is installed,
    /// or when the name is not a zone name.
    static func named(_ identifier: String) -> ZoneRules? {
        named(identifier, directory: directory)
    }

    /// Where the installed rules are: `$TZDIR`, or the system's folder.
    static var directory: String {
        let variable = getenv("TZDIR").map { String(cString: $0) } ?? ""
        return variable.isEmpty ? defaultDirectory : variable
    }

    static func named(_ identifier: String, directory: String) -> ZoneRules? {
        guard isZoneName(identifier) else { return nil }
        let path = directory.hasSuffix("/") ? directory + identifier : directory + "/" + identifier
        if let cached = cache.withLock({ $0[path] }) { return cached }
        // The right/ zones count leap seconds in their transition times, which are then not POSIX times:
        // refused rather than read 27 seconds wrong.
        guard let file = try? TZifFile(path: path), file.leapSecondCount == 0 else {
            // A container without tzdata still has UTC.
            return ["UTC", "Etc/UTC"].contains(identifier) ? ZoneRules(identifier: identifier, copying: utc) : nil
        }
        let rules = ZoneRules(identifier: identifier, file: file)
        // Two threads reading the same zone at once both store it: the values are equal.
        cache.withLock { $0[path] = rules }
        return rules
    }

    /// Letters, digits and `/ _ - +` in non-empty components: no `..`, no absolute path, nothing for a
    /// file name to escape the zone directory with.
    static func isZoneName(_ identifier: String) -> Bool {
        let bytes = Array(identifier.utf8)
        guard (1...255).contains(bytes.count) else { return false }
        let allowed = bytes.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("/_-+".utf8).contains(byte)
        }
        return allowed && !identifier.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty }
    }

    init(identifier: String, file: TZifFile) {
        self.identifier = identifier
        var times = file.transitionTimes
        var offsetsAfter = file.transitionTypes.map { file.localTimeTypes[$0].utcOffset }
        // Only after a table: without one, type 0 would wrongly govern the years before the first change.
        if let rule = file.rule, let last = times.last, last < Self.precomputedUntil {
            for at in rule.changeInstants(from: last + 1, to: Self.precomputedUntil) {
                let (before, after) = (rule.offset(at: at - 1), rule.offset(at: at))
                if before != after {
                    times.append(at)
                    offsetsAfter.append(after)
                }
            }
        }
        self.times = times
        self.offsetsAfter = offsetsAfter
        initialOffset = file.localTimeTypes.first?.utcOffset ?? 0
        rule = file.rule
    }

    private init(identifier: String, times: [Int64], offsetsAfter: [Int], initialOffset: Int, rule: PosixZoneRule?) {
        self.identifier = identifier
        self.times = times
        self.offsetsAfter = offsetsAfter
        self.initialOffset = initialOffset
        self.rule = rule
    }

    private init(identifier: String, copying other: ZoneRules) {
        self.init(identifier: identifier, times: other.times, offsetsAfter: other.offsetsAfter,
                  initialOffset: other.initialOffset, rule: other.rule)
    }

    /// Seconds east of UTC in force at the UTC instant `utcSeconds`.
    func offset(at utcSeconds: Int64) -> Int {
        guard let last = times.last else { return rule?.offset(at: utcSeconds) ?? initialOffset }
        if utcSeconds >= last, let rule { return rule.offset(at: utcSeconds) }
        let index = firstTime(after: utcSeconds)
        return index == 0 ? initialOffset : offsetsAfter[index - 1]
    }

    /// Wall-clock seconds (seconds since 1970 as if the zone were UTC) at a UTC instant.
    func local(_ utcSeconds: Int64) -> Int64 {
        Self.adding(utcSeconds, Int64(offset(at: utcSeconds)))
    }

    /// The UTC instant of a wall-clock time. A time in a gap (spring forward) moves forward by the gap's
    /// length (computed with the offset before the change); a time that occurs twice (fall back) is the
    /// earlier of the two instants.
    func instant(local: Int64) -> Int64 {
        // Offsets are within 26 hours of UTC, so the instant is within a day and a bit of the wall-clock
        // value: the changes in two days either side are all that can matter.
        let window: Int64 = 2 * 86_400
        let from = Self.adding(local, -window), to = Self.adding(local, window)
        // Most times are nowhere near a change: no table time in the window, and the footer rule either
        // keeps one offset or only governs later instants.
        let index = firstTime(atOrAfter: from)
        if index == times.count || times[index] >= to, rule?.daylight == nil || times.last.map({ to <= $0 }) == true {
            return Self.adding(local, -Int64(offset(at: from)))
        }
        var segmentStart = from
        var offset = self.offset(at: from)
        var gapAnswer: Int64?
        for change in changes(from: from, to: to, bounded: false) + [nil] {
            // Each segment [segmentStart, its end) keeps one offset: the wall-clock time happens in it when
            // `local - offset` falls inside it. Segments are in order, so the first such instant is the earliest.
            let candidate = Self.adding(local, -Int64(offset))
            if segmentStart <= candidate, candidate < change?.at ?? to { return candidate }
            guard let change else { break }
            let (gapStart, gapEnd) = (Self.adding(change.at, Int64(change.offsetBefore)), Self.adding(change.at, Int64(change.offsetAfter)))
            if gapAnswer == nil, gapStart <= local, local < gapEnd { gapAnswer = Self.adding(local, -Int64(change.offsetBefore)) }
            segmentStart = change.at
            offset = change.offsetAfter
        }
        return gapAnswer ?? Self.adding(local, -Int64(self.offset(at: local)))
    }

    /// The transitions with `from <= at < to`, in order (from the file's table, then generated from the
    /// footer rule for later years, up to the end of year 9999). Table entries that change only the
    /// abbreviation or the daylight flag, not the offset, are left out.
    func transitions(from: Int64, to: Int64) -> [ZoneTransition] {
        changes(from: from, to: to, bounded: true)
    }

    private func changes(from: Int64, to: Int64, bounded: Bool) -> [ZoneTransition] {
        guard from < to else { return [] }
        var found: [ZoneTransition] = []
        var index = firstTime(atOrAfter: from)
        while index < times.count, times[index] < to {
            let before = index == 0 ? initialOffset : offsetsAfter[index - 1]
            if before != offsetsAfter[index] {
                found.append(ZoneTransition(at: times[index], offsetBefore: before, offsetAfter: offsetsAfter[index]))
            }
            index += 1
        }
        guard let rule, rule.daylight != nil else { return found }
        var lower = times.last.map { max(from, Self.adding($0, 1)) } ?? from
        var upper = to
        if bounded { (lower, upper) = (max(lower, Self.generatedRange.lowerBound), min(upper, Self.generatedRange.upperBound)) }
        for at in rule.changeInstants(from: lower, to: upper) {
            let (before, after) = (offset(at: at - 1), offset(at: at))
            if before != after { found.append(ZoneTransition(at: at, offsetBefore: before, offsetAfter: after)) }
        }
        return found
    }

    /// The index of the first table time after `t` (binary search); `times.count` when there is none.
    private func firstTime(after t: Int64) -> Int { partition { $0 <= t } }

    private func firstTime(atOrAfter t: Int64) -> Int { partition { $0 < t } }

    /// The number of leading table times that `isBefore` holds for (it must hold for a prefix only).
    private func partition(_ isBefore: (Int64) -> Bool) -> Int {
        var (low, high) = (0, times.count)
        while low < high {
            let middle = (low + high) / 2
            if isBefore(times[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Saturating: an instant near Int64's ends plus an offset stays an instant instead of trapping.
    private static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}

import Foundation
import OzziRuntime

/// When a number is open: per weekday, intervals of local time in the number's time zone. Outside them a
/// call hears the after-hours message instead of the agent.
struct BusinessHours: Sendable, Equatable {
    static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    let timeZone: String
    /// Minutes since local midnight, [open, close), per day in `days`' order.
    let weekly: [[ClosedRange<Int>]]

    /// Whether the instant falls in an interval of its local weekday, in `zone` (the hours' own when nil:
    /// a call campaign's window is kept in each contact's zone).
    func isOpen(atMilliseconds milliseconds: Int64, in zone: String? = nil) -> Bool {
        guard let local = LocalMinute(milliseconds, zone: zone ?? timeZone) else { return true }
        return weekly[local.weekday].contains { local.minute >= $0.lowerBound && local.minute < $0.upperBound }
    }

    /// The first instant at or after `milliseconds` when the hours are open in `zone` (the hours' own when
    /// nil); nil when they never open.
    func nextOpen(atOrAfterMilliseconds milliseconds: Int64, in zone: String? = nil) -> Int64? {
        let name = zone ?? timeZone
        guard let local = LocalMinute(milliseconds, zone: name), let tz = TimeZone(identifier: name) else { return milliseconds }
        if isOpen(atMilliseconds: milliseconds, in: name) { return milliseconds }
        for ahead in 0...7 {
            let weekday = (local.weekday + ahead) % 7
            for interval in weekly[weekday].sorted(by: { $0.lowerBound < $1.lowerBound }) where ahead > 0 || interval.lowerBound > local.minute {
                // Local seconds of the opening; its UTC instant by the offset in force then (read twice across a change).
                let opening = (local.day + Int64(ahead)) * 86_400 + Int64(interval.lowerBound) * 60
                let guess = opening - Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(opening - local.offset))))
                let utc = opening - Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess))))
                return max(milliseconds, utc * 1_000)
            }
        }
        return nil
    }

    /// Whether it opens at all.
    var opensEver: Bool { weekly.contains { !$0.isEmpty } }

    /// An instant as a day, weekday and minute of local time.
    private struct LocalMinute {
        let day: Int64
        let weekday: Int
        let minute: Int
        let offset: Int64

        init?(_ milliseconds: Int64, zone: String) {
            guard let tz = TimeZone(identifier: zone) else { return nil }
            offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1_000)))
            let local = milliseconds.floorDivided(by: 1_000) + offset
            day = local.floorDivided(by: 86_400)
            minute = Int(local - day * 86_400) / 60
            // 1970-01-01 was a Thursday: index 3 from Monday.
            weekday = Int(((day + 3) % 7 + 7) % 7)
        }
    }

    /// `{time_zone, weekly}` as the document states it.
    static let schema: Schema = {
        let interval = Schema.array(Schema.string(pattern: "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$").example("09:00").patternMeaning("HH:MM"), min: 2, max: 2)
        return Schema.object([
            .required("time_zone", TimeZoneName.schema),
            .required("weekly", Schema.dictionary(Schema.array(interval, max: 6), max: 7, keys: StringRules(allowed: BusinessHours.days))
                .example(["mon": [["09:00", "17:00"]]])
                .described("Per day (mon ... sun), open intervals of local time, each opening before it closes; a day left out is closed")),
        ], closed: true)
    }()

    /// Reads `{"time_zone": "Europe/Paris", "weekly": {"mon": [["09:00", "17:00"]], ...}}`; a day left out is closed.
    static func parse(_ value: JSONValue, field: String) throws -> BusinessHours {
        guard case .object(let o) = value else { throw APIError.invalidField(field, "must be an object with time_zone and weekly") }
        guard let zone = o["time_zone"]?.stringValue, TimeZoneName.isKnown(zone) else {
            throw APIError.invalidField("\(field).time_zone", "must be an IANA time zone such as America/New_York")
        }
        guard case .object(let given)? = o["weekly"] else { throw APIError.invalidField("\(field).weekly", "must be an object of day -> intervals") }
        if let unknown = given.keys.sorted().first(where: { !days.contains($0) }) {
            throw APIError.invalidField("\(field).weekly.\(unknown)", "is not a day (mon, tue, wed, thu, fri, sat, sun)")
        }
        let weekly = try days.map { day -> [ClosedRange<Int>] in
            guard let intervals = given[day], intervals != .null else { return [] }
            let path = "\(field).weekly.\(day)"
            guard case .array(let items) = intervals, items.count <= 6 else { throw APIError.invalidField(path, "must be at most 6 [\"HH:MM\", \"HH:MM\"] intervals") }
            return try items.enumerated().map { index, item in
                guard case .array(let ends) = item, ends.count == 2, let open = minutes(ends[0].stringValue), let close = minutes(ends[1].stringValue),
                      open < close else {
                    throw APIError.invalidField("\(path)[\(index)]", "must be [\"HH:MM\", \"HH:MM\"] with the opening first (24:00 ends a day)")
                }
                return open...close
            }
        }
        return BusinessHours(timeZone: zone, weekly: weekly)
    }

    var json: JSONValue {
        var weekly: [String: JSONValue] = [:]
        for (index, day) in Self.days.enumerated() where !self.weekly[index].isEmpty {
            weekly[day] = .array(self.weekly[index].map { .array([.string(Self.clock($0.lowerBound)), .string(Self.clock($0.upperBound))]) })
        }
        return ["time_zone": .string(timeZone), "weekly": .object(weekly)]
    }

    /// "HH:MM" (00:00...24:00) as minutes since midnight.
    private static func minutes(_ text: String?) -> Int? {
        guard let text, text.utf8.count == 5, Array(text.utf8)[2] == UInt8(ascii: ":"),
              let hours = Int(text.prefix(2)), let minutes = Int(text.suffix(2)), text.prefix(2).allSatisfy(\.isNumber), text.suffix(2).allSatisfy(\.isNumber),
              (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 1_440 else { return nil }
        return hours * 60 + minutes
    }

    private static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}

import Foundation
import OzziRuntime

/// A rule as a request gives it and an answer shows it (the `recurrence` object), and as `series.rule`
/// keeps it: every default filled in, so a stored rule reads back the same whatever the day.
extension RecurrenceRule {
    /// Reads a `recurrence` object; mistakes name their field below `path` (`recurrence.weekdays`).
    /// `fallbackZone` is used without a `time_zone` (the recipient's, or the request's); days left out
    /// default from `starts_on`, which defaults to the day of `now` in the zone.
    init(json: JSONValue, path: String = "recurrence", fallbackZone: String?, now: Int64) throws {
        guard case .object(let fields) = json else { throw APIError.invalidField(path, "must be an object") }
        func name(_ field: String) -> String { "\(path).\(field)" }
        func integer(_ field: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let value = fields[field], value != .null else { return nil }
            guard case .number(let number) = value, number.rounded() == number, let int = Int(exactly: number), range.contains(int) else {
                throw APIError.invalidField(name(field), "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return int
        }
        func string(_ field: String) throws -> String? {
            guard let value = fields[field], value != .null else { return nil }
            guard case .string(let text) = value else { throw APIError.invalidField(name(field), "must be a string") }
            return text
        }
        func date(_ field: String) throws -> Int? {
            guard let text = try string(field) else { return nil }
            guard let day = CivilDate.day(text) else { throw APIError.invalidField(name(field), "must be a date, YYYY-MM-DD") }
            return day
        }

        guard let frequencyText = try string("frequency") else { throw APIError.invalidField(name("frequency"), "is required") }
        guard let frequency = Frequency(rawValue: frequencyText) else {
            throw APIError.invalidField(name("frequency"), "must be one of \(Frequency.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let time = try string("time") else { throw APIError.invalidField(name("time"), "is required") }
        guard let (hour, minute) = Self.timeOfDay(time) else { throw APIError.invalidField(name("time"), "must be a time of day, HH:MM (24-hour)") }
        // UTC when neither the rule, the recipient nor the request names a zone.
        let zoneName = try string("time_zone") ?? fallbackZone ?? "UTC"
        guard TimeZoneName.isKnown(zoneName), let zone = TimeZone(identifier: zoneName) else {
            throw APIError.invalidField(name("time_zone"), "'\(zoneName)' is not an IANA time zone (like America/New_York)")
        }
        let interval = try integer("interval", 1...Self.maxInterval) ?? 1
        let count = try integer("count", 1...10_000)
        let endDay = try date("ends_on")
        if count != nil, endDay != nil { throw APIError.invalidField(name("count"), "give count or ends_on, not both") }

        self.init(frequency: frequency, interval: interval, weekdays: [], monthDay: 1, month: 1, hour: hour, minute: minute, zone: zone,
                  startDay: 0, endDay: endDay, count: count)
        startDay = try date("starts_on") ?? localDay(of: now)
        if let endDay, endDay < startDay { throw APIError.invalidField(name("ends_on"), "is before starts_on") }
        let (_, startMonth, startMonthDay) = CivilDate.civil(fromDays: startDay)

        for (field, allowed) in [("weekdays", [Frequency.weekly]), ("month_day", [.monthly, .yearly]), ("month", [.yearly])]
        where fields[field] != nil && fields[field] != .null && !allowed.contains(frequency) {
            throw APIError.invalidField(name(field), "does not apply to a \(frequency.rawValue) rule")
        }
        weekdays = [Weekday(day: startDay)]
        if let value = fields["weekdays"], value != .null {
            guard case .array(let items) = value, !items.isEmpty else { throw APIError.invalidField(name("weekdays"), "must be a non-empty list like [\"MO\", \"TH\"]") }
            let days = try items.map { item in
                guard case .string(let code) = item, let day = Weekday(rawValue: code) else {
                    throw APIError.invalidField(name("weekdays"), "holds weekdays MO, TU, WE, TH, FR, SA, SU")
                }
                return day
            }
            weekdays = Set(days).sorted()
        }
        month = try integer("month", 1...12) ?? startMonth
        monthDay = try integer("month_day", 1...31) ?? startMonthDay
    }

    /// `HH:MM`, 24-hour.
    static func timeOfDay(_ text: String) -> (Int, Int)? {
        let b = Array(text.utf8)
        guard b.count == 5, b[2] == UInt8(ascii: ":"), b.enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) }) else { return nil }
        let hour = Int(b[0] - 48) * 10 + Int(b[1] - 48), minute = Int(b[3] - 48) * 10 + Int(b[4] - 48)
        return hour < 24 && minute < 60 ? (hour, minute) : nil
    }

    /// The rule as answers show it and `series.rule` keeps it.
    var json: JSONValue {
        func date(_ day: Int) -> JSONValue { .string(CivilDate.text(day)) }
        var fields: [String: JSONValue] = [
            "frequency": .string(frequency.rawValue), "interval": .number(Double(interval)),
            "time": .string(String(format: "%02d:%02d", hour, minute)), "time_zone": .string(zone.identifier),
            "starts_on": date(startDay), "rrule": .string(rrule),
        ]
        switch frequency {
        case .daily: break
        case .weekly: fields["weekdays"] = .array(weekdays.map { .string($0.rawValue) })
        case .monthly: fields["month_day"] = .number(Double(monthDay))
        case .yearly: (fields["month"], fields["month_day"]) = (.number(Double(month)), .number(Double(monthDay)))
        }
        if let endDay { fields["ends_on"] = date(endDay) }
        if let count { fields["count"] = .number(Double(count)) }
        return .object(fields)
    }

    /// A change to a rule: a `frequency` starts over from the fields given; without one, the fields given
    /// replace those of `current` (null removes `ends_on` or `count`).
    static func merged(_ current: JSONValue, _ change: JSONValue) -> JSONValue {
        guard case .object(let changed) = change, changed["frequency"] == nil, case .object(var fields) = current else { return change }
        fields["rrule"] = nil
        for (key, value) in changed { fields[key] = value }
        if changed["count"].map({ $0 != .null }) == true { fields["ends_on"] = nil }
        if changed["ends_on"].map({ $0 != .null }) == true { fields["count"] = nil }
        return .object(fields)
    }

    /// The `recurrence` object of a request; `change`: of a PATCH, where every field is optional (see `merged`).
    static func schema(change: Bool = false) -> Schema {
        func field(_ name: String, _ schema: Schema) -> Property { change ? .optional(name, schema) : .required(name, schema) }
        let interval = Property.optional("interval", Schema.integer(1...maxInterval).described("Every n days, weeks, months or years (default 1)"))
        let weekdays = Property.optional("weekdays", Schema.array(.oneOf(Weekday.allCases.map(\.rawValue)), min: 1, max: 7).example(["MO", "TH"])
            .described("Weekly: the days it goes out on (default the weekday of starts_on)"))
        let monthDay = Property.optional("month_day", Schema.integer(1...31).described(
            "Monthly and yearly: the day of the month (default that of starts_on); a month without it uses its last day (the 31st is April 30, Feb 29 is Feb 28 in common years)"))
        let month = Property.optional("month", Schema.integer(1...12).described("Yearly: the month (default that of starts_on)"))
        // Days no schema can compare: the end is on or after the start and not yet past (formats the fuzz draws from).
        let common: [Property] = [
            field("time", Schema.string(pattern: "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$").example("09:00").patternMeaning("a time of day, HH:MM (24-hour)")
                .described("The local time of each send; it stays the same across daylight-saving changes (a time skipped in spring moves forward by the gap; one repeated in the fall is the first)")),
            .optional("time_zone", Schema.model(TimeZoneName.self).described("Default: the contact's `time_zone` custom field, else the request's time_zone, else UTC")),
            .optional("starts_on", Schema.string(pattern: CivilDate.pattern, format: "series-start").example("2026-12-01").patternMeaning("a date, YYYY-MM-DD")
                .described("The first day it may go out (default today in the time zone)")),
            .optional("ends_on", Schema.string(pattern: CivilDate.pattern, format: "series-end").nullable.example("2027-06-30").patternMeaning("a date, YYYY-MM-DD")
                .described("The last day it may go out (inclusive): on or after starts_on, and not past; not with count")),
            .optional("count", Schema.integer(1...10_000).nullable.described("How many sends in all; not with ends_on")),
        ]
        guard !change else {
            // A change merges into the stored rule, whose frequency decides which fields apply.
            return .object([field("frequency", Schema.oneOf(Frequency.allCases.map(\.rawValue)).described("Given: the rule starts over from the fields given")),
                            interval, weekdays, monthDay, month] + common, atMostOne: [["count", "ends_on"]], closed: true)
        }
        // One closed form per frequency, so each names only the fields that apply to it.
        let own: [Frequency: [Property]] = [.daily: [], .weekly: [weekdays], .monthly: [monthDay], .yearly: [monthDay, month]]
        return .oneOf(Frequency.allCases.map { frequency in
            .object([.required("frequency", .oneOf([frequency.rawValue])), interval] + own[frequency, default: []] + common,
                    atMostOne: [["count", "ends_on"]], closed: true).described("\(frequency.rawValue.capitalized)")
        })
    }

    /// What answers show: the rule with every default filled in, and its RRULE.
    static let answerSchema = Schema.object([
        .required("frequency", .oneOf(Frequency.allCases.map(\.rawValue))),
        .required("interval", Schema.integer(1...maxInterval)),
        .optional("weekdays", Schema.array(.oneOf(Weekday.allCases.map(\.rawValue)))),
        .optional("month_day", Schema.integer(1...31)),
        .optional("month", Schema.integer(1...12)),
        .required("time", Schema.string().example("09:00")),
        .required("time_zone", Schema.string().example("America/New_York")),
        .required("starts_on", CivilDate.schema),
        .optional("ends_on", CivilDate.schema),
        .optional("count", Schema.integer(1...10_000)),
        .required("rrule", Schema.string().example("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10")
            .described("The rule as an RFC 5545 RRULE (DTSTART: starts_on at time in time_zone); RFC 7529's SKIP=BACKWARD where a month lacks the day")),
    ], closed: true)
}

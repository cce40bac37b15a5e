import OzziRuntime

/// A view's range and zone from its query: `from` and `to` as RFC 3339 instants or as dates (midnight
/// in `time_zone`), `time_zone` an installed IANA zone (the caller's calendar's by default).
struct CalendarRange: Sendable {
    let from: Int64
    let to: Int64
    let zone: ZoneRules

    init(_ request: Request, defaultZone: String, maxDays: Int) throws {
        let zoneName = request.queryParameter("time_zone") ?? defaultZone
        guard let zone = ZoneRules.named(zoneName) else {
            throw APIError.invalidField("time_zone", "'\(zoneName)' is not an installed IANA time zone (like America/New_York)")
        }
        func read(_ name: String) throws -> Int64 {
            guard let text = request.queryParameter(name) else { throw APIError.invalidField(name, "is required") }
            if let date = LocalTime.date(text) { return zone.instant(local: date) }
            guard let instant = LocalTime.instant(text) else {
                throw APIError.invalidField(name, "'\(text)' is not a date (YYYY-MM-DD) or an RFC 3339 time with an offset (2026-12-01T09:00:00Z)")
            }
            return instant
        }
        from = try read("from")
        to = try read("to")
        guard to > from else { throw APIError.invalidField("to", "must be after from") }
        guard to - from <= Int64(maxDays) * 86_400 else { throw APIError.invalidField("to", "a range spans at most \(maxDays) days") }
        self.zone = zone
    }

    static func parameters(maxDays: Int) -> [Parameter] {
        let time = Schema.string(min: 10, max: 35).example("2026-12-01")
        return [
            .query("from", time, required: true, "Start: a date (midnight in time_zone) or an RFC 3339 time"),
            .query("to", time, required: true, "End (exclusive), at most \(maxDays) days after from"),
            .query("time_zone", TimeZoneName.schema, "The zone times are shown in (default: your calendar's)"),
        ]
    }

    var json: [String: JSONValue] {
        ["from": .string(LocalTime.text(instant: from, in: zone)), "to": .string(LocalTime.text(instant: to, in: zone)), "time_zone": .string(zone.identifier)]
    }
}

import OzziRuntime

/// A Google `start`, `end` or `originalStartTime`: `{"dateTime": RFC 3339, "timeZone"?}` for a timed event,
/// `{"date": "YYYY-MM-DD"}` for an all-day one; and the forms written back.
struct GoogleTime: Sendable, Equatable {
    /// All-day: the date's local midnight (local seconds).
    let date: Int64?
    /// Timed: the instant, UTC seconds.
    let instant: Int64?
    let timeZone: String?

    init?(_ json: JSONValue?) {
        guard let json else { return nil }
        if let text = json["date"]?.stringValue {
            guard let day = LocalTime.date(text) else { return nil }
            (date, instant, timeZone) = (day, nil, nil)
        } else if let text = json["dateTime"]?.stringValue, let ms = RFC3339.milliseconds(text) {
            (date, instant, timeZone) = (nil, Self.floor(ms, 1000), json["timeZone"]?.stringValue)
        } else if let text = json["dateTime"]?.stringValue, let local = LocalTime.dateTime(String(text.prefix(19))),
                  let zone = json["timeZone"]?.stringValue.flatMap(ZoneRules.named) {
            // A time without an offset is in its timeZone (Google accepts both on input).
            (date, instant, timeZone) = (nil, zone.instant(local: local), json["timeZone"]?.stringValue)
        } else {
            return nil
        }
    }

    var isAllDay: Bool { date != nil }

    /// Local seconds in `zone` (a date is the same in every zone).
    func local(in zone: ZoneRules) -> Int64 {
        date ?? zone.local(instant ?? 0)
    }

    /// `{"date"}` for an all-day local time, else `{"dateTime": local with its offset, "timeZone"}`.
    static func json(_ local: Int64, allDay: Bool, zoneName: String) -> JSONValue {
        if allDay { return ["date": .string(LocalTime.dateText(local))] }
        let zone = ZoneRules.named(zoneName) ?? .utc
        let offset = zone.offset(at: zone.instant(local: local))
        let sign = offset < 0 ? "-" : "+", magnitude = abs(offset)
        let hours = magnitude / 3600, minutes = magnitude % 3600 / 60
        let text = LocalTime.text(local) + sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
        return ["dateTime": .string(text), "timeZone": .string(zoneName)]
    }

    /// The basic form Google's instance ids end with: `20261203T150000Z` (UTC) for a timed occurrence, `20261203`
    /// for an all-day one.
    static func instanceSuffix(_ local: Int64, allDay: Bool, zone: ZoneRules) -> String {
        let text = allDay ? LocalTime.dateText(local) : LocalTime.text(zone.instant(local: local))
        return String(text.filter { $0 != "-" && $0 != ":" }) + (allDay ? "" : "Z")
    }

    /// An iCalendar basic date or date-time (`20261207`, `20261207T100000`, `20261207T150000Z`) as local
    /// seconds of the event: a UTC time moved into `zone`, a floating one read in `tzid` first.
    static func basic(_ text: Substring, tzid: ZoneRules?, zone: ZoneRules) -> Int64? {
        let digits = text.filter(\.isNumber)
        guard digits.count == 8 || digits.count == 14, let all = Int64(digits) else { return nil }
        let ymd = digits.count == 8 ? all : all / 1_000_000
        let (year, month, day) = (Int(ymd / 10_000), Int(ymd / 100 % 100), Int(ymd % 100))
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var local = Int64(CivilDate.daysFromCivil(year, month, day)) * 86_400
        guard digits.count == 14 else { return local }
        let hms = all % 1_000_000
        local += hms / 10_000 * 3600 + hms / 100 % 100 * 60 + hms % 100
        if text.hasSuffix("Z") { return zone.local(local) }
        if let tzid { return zone.local(tzid.instant(local: local)) }
        return local
    }

    private static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        value >= 0 ? value / unit : -((-value + unit - 1) / unit)
    }
}

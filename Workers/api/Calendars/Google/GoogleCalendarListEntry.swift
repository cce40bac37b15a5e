import OzziRuntime

/// One calendar of a Google account (`calendarList` entry).
struct GoogleCalendarListEntry: Sendable {
    let id: String
    let name: String
    let timeZone: String
    let primary: Bool
    let accessRole: String
    let color: String?

    init?(_ json: JSONValue, defaultZone: String) {
        guard let id = json["id"]?.stringValue else { return nil }
        self.id = id
        name = json["summaryOverride"]?.stringValue ?? json["summary"]?.stringValue ?? id
        timeZone = json["timeZone"]?.stringValue.flatMap { ZoneRules.named($0) != nil ? $0 : nil } ?? defaultZone
        primary = json["primary"]?.boolValue ?? false
        accessRole = json["accessRole"]?.stringValue ?? "reader"
        color = json["backgroundColor"]?.stringValue.flatMap { $0.count == 7 && $0.hasPrefix("#") ? $0 : nil }
    }

    func json(calendarID: String?) -> JSONValue {
        var object: [String: JSONValue] = ["google_calendar_id": .string(id), "name": .string(name), "time_zone": .string(timeZone),
                                           "primary": .bool(primary), "access_role": .string(accessRole)]
        if let calendarID { object["calendar_id"] = .string(calendarID) }
        return .object(object)
    }
}

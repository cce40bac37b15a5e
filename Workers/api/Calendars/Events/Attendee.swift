import OzziRuntime

/// Someone invited to an event, with their answer as Google Calendar keeps it.
struct Attendee: Codable, Sendable, Equatable {
    let email: String
    let name: String?
    let response_status: String

    static let responses = ["needsAction", "accepted", "declined", "tentative"]

    static let schema = Schema.object([
        .required("email", EmailAddress.schema),
        .optional("name", Schema.text(max: 200).example("Grace Hopper")),
        .optional("response_status", Schema.oneOf(responses).described("needsAction (the default), accepted, declined or tentative")),
    ], closed: true)

    var json: JSONValue {
        var object: [String: JSONValue] = ["email": .string(email), "response_status": .string(response_status)]
        if let name { object["name"] = .string(name) }
        return .object(object)
    }

    /// A body's `attendees`: at most 200, each address once (lower-cased).
    static func list(_ value: JSONValue?) throws -> [Attendee]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value, items.count <= 200 else { throw APIError.invalidField("attendees", "must be an array of at most 200 attendees") }
        var seen = Set<String>()
        return try items.enumerated().map { index, item in
            let email = try EmailAddress.normalize(item["email"]?.stringValue ?? "", field: "attendees[\(index)].email")
            guard seen.insert(email).inserted else { throw APIError.invalidField("attendees[\(index)].email", "\(email) is listed twice") }
            let status = item["response_status"]?.stringValue ?? "needsAction"
            guard responses.contains(status) else { throw APIError.invalidField("attendees[\(index)].response_status", "must be one of \(responses.joined(separator: ", "))") }
            return Attendee(email: email, name: item["name"]?.stringValue, response_status: status)
        }
    }
}

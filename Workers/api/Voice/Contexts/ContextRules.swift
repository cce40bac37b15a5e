import OzziRuntime

/// When a context applies by itself to a follow-up call: the followed-up call's final status is one of
/// `statuses`, its direction is `direction`, it started at most `maxAgeHours` ago, it lasted at most
/// `maxDurationSeconds`. An empty rule set never applies by itself (the context is chosen by id only);
/// an absent condition is no condition.
struct ContextRules: Sendable, Equatable {
    var statuses: [String] = []
    var direction: String?
    var maxAgeHours: Int?
    var maxDurationSeconds: Int?

    static let directions = ["inbound", "outbound"]

    var isEmpty: Bool { statuses.isEmpty && direction == nil && maxAgeHours == nil && maxDurationSeconds == nil }

    /// Whether the rules hold for `call` at `nowMs`; with no call to follow up, none do.
    func matches(_ call: Call?, nowMs: Int64) -> Bool {
        guard !isEmpty, let call else { return false }
        if !statuses.isEmpty, !statuses.contains(call.status) { return false }
        if let direction, call.direction != direction { return false }
        if let maxAgeHours {
            guard let started = RFC3339.milliseconds(call.started_at), nowMs - started <= Int64(maxAgeHours) * 3_600_000 else { return false }
        }
        if let maxDurationSeconds, (call.duration_seconds ?? 0) > maxDurationSeconds { return false }
        return true
    }

    static let schema = Schema.object([
        .optional("statuses", Schema.array(Schema.oneOf(CallDailyStats.statuses), max: 5).described("The followed-up call ended so")),
        .optional("direction", Schema.oneOf(directions).nullable.described("The followed-up call went this way")),
        .optional("max_age_hours", Schema.integer(1...8_760).nullable.described("The followed-up call started at most this long ago")),
        .optional("max_duration_seconds", Schema.integer(0...86_400).nullable.described("The followed-up call lasted at most this long")),
    ], closed: true).described("When the context applies by itself ({}: only when chosen by id)")

    init(statuses: [String] = [], direction: String? = nil, maxAgeHours: Int? = nil, maxDurationSeconds: Int? = nil) {
        self.statuses = statuses
        self.direction = direction
        self.maxAgeHours = maxAgeHours
        self.maxDurationSeconds = maxDurationSeconds
    }

    /// Reads rules from a body's `rules` object, naming the bad part.
    init(parsing value: JSONValue, field: String = "rules") throws {
        guard case .object(let fields) = value else { throw APIError.invalidField(field, "must be an object") }
        let body = JSONBody(fields: fields)
        if let unknown = fields.keys.first(where: { !["statuses", "direction", "max_age_hours", "max_duration_seconds"].contains($0) }) {
            throw APIError.invalidField("\(field).\(unknown)", "is not a rule (statuses, direction, max_age_hours, max_duration_seconds)")
        }
        if let given = fields["statuses"], given != .null {
            guard case .array(let items) = given, items.count <= 5, case let texts = items.compactMap(\.stringValue), texts.count == items.count,
                  texts.allSatisfy(CallDailyStats.statuses.contains) else {
                throw APIError.invalidField("\(field).statuses", "must be final call statuses: \(CallDailyStats.statuses.joined(separator: ", "))")
            }
            statuses = texts
        }
        do {
            direction = try body.choice("direction", Self.directions)
            maxAgeHours = try body.int("max_age_hours", 1...8_760)
            maxDurationSeconds = try body.int("max_duration_seconds", 0...86_400)
        } catch let error as APIError {
            throw error.nested(under: field)
        }
    }

    init(json: JSONValue) {
        statuses = json["statuses"]?.arrayValue?.compactMap(\.stringValue) ?? []
        direction = json["direction"]?.stringValue
        maxAgeHours = json["max_age_hours"]?.numberValue.map { Int($0) }
        maxDurationSeconds = json["max_duration_seconds"]?.numberValue.map { Int($0) }
    }

    var json: JSONValue {
        var fields: [String: JSONValue] = [:]
        if !statuses.isEmpty { fields["statuses"] = .array(statuses.map { .string($0) }) }
        if let direction { fields["direction"] = .string(direction) }
        if let maxAgeHours { fields["max_age_hours"] = .number(Double(maxAgeHours)) }
        if let maxDurationSeconds { fields["max_duration_seconds"] = .number(Double(maxDurationSeconds)) }
        return .object(fields)
    }
}

import OzziRuntime

/// What the call history is narrowed to: the list's and the CSV export's query parameters, as SQL
/// conditions on `calls` (each column used here has an index that starts with the workspace).
struct CallFilters: Sendable {
    var status: String?
    var direction: String?
    var numberID: String?
    var contactID: String?
    var since: String?
    var until: String?
    var classification: String?
    var rating: Int?
    var minDuration: Int?
    var maxDuration: Int?
    var hasRecording: Bool?

    init() {}

    static let parameters: [Parameter] = [
        .query("status", Schema.string(max: 32).example("completed"), "Twilio's last CallStatus"),
        .query("direction", Schema.oneOf(["inbound", "outbound"]), "inbound or outbound"),
        .query("number_id", Schema.string(max: 64), "The voice number"),
        .query("contact_id", Schema.string(max: 64), "The caller's (or callee's) contact"),
        .query("since", Schema.timestamp, "Started at or after this instant"),
        .query("until", Schema.timestamp, "Started before this instant"),
        .query("classification", Schema.oneOf(CallClass.all + ["none"]), "The call's class (none: not classified yet)"),
        .query("rating", Schema.integer(1...5), "Rated with this many stars"),
        .query("min_duration", Schema.integer(0...86_400), "Lasted at least this many seconds"),
        .query("max_duration", Schema.integer(0...86_400), "Lasted at most this many seconds"),
        .query("has_recording", Schema.oneOf(["true", "false"]), "Has a stored recording, or has none"),
    ]

    init(_ request: Request) throws {
        status = request.queryParameter("status")
        direction = request.queryParameter("direction")
        numberID = request.queryParameter("number_id")
        contactID = request.queryParameter("contact_id")
        since = try RouteGroup.instant(request, "since")
        until = try RouteGroup.instant(request, "until")
        if let classification = request.queryParameter("classification") {
            guard classification == "none" || CallClass.all.contains(classification) else {
                throw APIError.invalidField("classification", "must be none or one of \(CallClass.all.joined(separator: ", "))")
            }
            self.classification = classification
        }
        rating = try Self.integer(request, "rating", 1...5)
        minDuration = try Self.integer(request, "min_duration", 0...86_400)
        maxDuration = try Self.integer(request, "max_duration", 0...86_400)
        if let text = request.queryParameter("has_recording") {
            guard let value = Bool(text) else { throw APIError.invalidField("has_recording", "must be true or false") }
            hasRecording = value
        }
    }

    private static func integer(_ request: Request, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text = request.queryParameter(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The conditions (joined with AND) and their values, the workspace's first.
    func sql(_ scope: TenantScope) -> (conditions: [String], values: [any SQLBindable]) {
        var conditions = ["workspace_id = ?"], values: [any SQLBindable] = [scope.workspaceID]
        func add(_ condition: String, _ value: any SQLBindable) {
            conditions.append(condition)
            values.append(value)
        }
        if let status { add("status = ?", status) }
        if let direction { add("direction = ?", direction) }
        if let numberID { add("number_id = ?", numberID) }
        if let contactID { add("contact_id = ?", contactID) }
        if let since { add("started_at >= ?", since) }
        if let until { add("started_at < ?", until) }
        if classification == "none" {
            conditions.append("classification IS NULL")
        } else if let classification {
            add("classification = ?", classification)
        }
        if let rating { add("rating = ?", rating) }
        if let minDuration { add("coalesce(duration_seconds, 0) >= ?", minDuration) }
        if let maxDuration { add("coalesce(duration_seconds, 0) <= ?", maxDuration) }
        if let hasRecording { add("has_recording = ?", hasRecording ? 1 : 0) }
        return (conditions, values)
    }
}

import OzziRuntime

/// A contact list request: full-text `q` or typeahead `prefix`, filters, sort; turned into SQL with its
/// bound values. Lists page by keyset on the sort column and rowid, so rows inserted or deleted between
/// pages are neither skipped nor repeated; searches page by rank.
struct ContactQuery: Sendable {
    enum Sort: String, CaseIterable, Sendable {
        case createdAt = "created_at", updatedAt = "updated_at", name
    }

    var text: String?
    var prefix: String?
    var groupID: String?
    var consent: String?
    var source: String?
    var custom: [(key: String, value: String)] = []
    var createdAfter: String?
    var createdBefore: String?
    var updatedAfter: String?
    var updatedBefore: String?
    var sort = Sort.createdAt
    var descending = false

    init() {}

    /// The list's query parameters, checked before the route runs (`custom.<key>=value` filters are free-form).
    static let parameters: [Parameter] = [
        .query("q", .string(max: 200).example("grace hopper"), "Full-text search over name, email, phone and notes, best match first"),
        .query("prefix", .string(max: 100).example("gra"), "Typeahead: names, emails or phone digits starting with it"),
        .query("group_id", .string(max: 64), "Only members of this group"),
        .query("consent", .oneOf(Contact.consentStates), "Only contacts with this SMS consent"),
        .query("source", .oneOf(Contact.sources), "Only contacts from this source"),
        .query("created_after", .timestamp, "Created at or after this instant"),
        .query("created_before", .timestamp, "Created before this instant"),
        .query("updated_after", .timestamp, "Updated at or after this instant"),
        .query("updated_before", .timestamp, "Updated before this instant"),
        .query("sort", .oneOf(Sort.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] }), "Order (- for descending); searches order by rank"),
    ]

    init(_ request: Request) throws {
        text = request.queryParameter("q").flatMap { $0.isEmpty ? nil : $0 }
        prefix = request.queryParameter("prefix").flatMap { $0.isEmpty ? nil : $0 }
        groupID = request.queryParameter("group_id")
        if let consent = request.queryParameter("consent") {
            guard Contact.consentStates.contains(consent) else { throw APIError.invalidField("consent", "must be one of \(Contact.consentStates.joined(separator: ", "))") }
            self.consent = consent
        }
        if let source = request.queryParameter("source") {
            guard Contact.sources.contains(source) else { throw APIError.invalidField("source", "must be one of \(Contact.sources.joined(separator: ", "))") }
            self.source = source
        }
        for pair in (request.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentDecoding.decode(parts[0], plusAsSpace: true)
            guard key.hasPrefix("custom."), key.count > 7 else { continue }
            custom.append((String(key.dropFirst(7)), parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""))
        }
        createdAfter = try Self.instant(request, "created_after")
        createdBefore = try Self.instant(request, "created_before")
        updatedAfter = try Self.instant(request, "updated_after")
        updatedBefore = try Self.instant(request, "updated_before")
        if let sort = request.queryParameter("sort") {
            descending = sort.hasPrefix("-")
            guard let field = Sort(rawValue: String(sort.drop { $0 == "-" })) else {
                throw APIError.invalidField("sort", "must be created_at, updated_at or name, with - for descending")
            }
            self.sort = field
        }
    }

    private static func instant(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.queryParameter(name) else { return nil }
        guard let date = SQLDate.parse(text) else { throw APIError.invalidField(name, "must be an ISO-8601 instant, such as 2026-01-31T09:00:00Z") }
        return SQLDate.format(date)
    }

    var isSearch: Bool { text != nil || prefix != nil }

    /// The search asked for, if any: its words (user input split into letters and digits, never search
    /// syntax); a search without words matches nothing (rather than everything).
    func search() -> ContactSearchTerms? {
        if let text { return .words(Self.words(text), text: text) }
        if let prefix { return .prefix(Self.words(prefix)) }
        return nil
    }

    static func words(_ text: String) -> [String] {
        Array(allWords(text).prefix(16))
    }

    /// Every word of `text`: runs of letters and digits, lower-cased (as the full-text indexes split them).
    static func allWords(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map { String($0).lowercased() }
    }

    /// WHERE conditions (on `c`) and their values, beyond the workspace.
    func filters(_ dialect: SQLDialect) -> (sql: [String], values: [any SQLBindable]) {
        var sql: [String] = []
        var values: [any SQLBindable] = []
        if let groupID {
            sql.append("EXISTS (SELECT 1 FROM group_members gm WHERE gm.contact_id = c.id AND gm.group_id = ?)")
            values.append(groupID)
        }
        if let consent {
            sql.append("c.sms_consent = ?")
            values.append(consent)
        }
        if let source {
            sql.append("c.source = ?")
            values.append(source)
        }
        for (key, value) in custom {
            sql.append("\(dialect.jsonText("c.custom_fields", key: "?")) = ?")
            values += [key.replacing("\"", with: ""), value]
        }
        for (column, op, value) in [("created_at", ">=", createdAfter), ("created_at", "<", createdBefore),
                                    ("updated_at", ">=", updatedAfter), ("updated_at", "<", updatedBefore)] {
            if let value {
                sql.append("c.\(column) \(op) ?")
                values.append(value)
            }
        }
        return (sql, values)
    }
}

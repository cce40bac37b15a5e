import OzziRuntime

/// Who a campaign goes to: members of any of some groups, the contacts a saved contact filter selects
/// (the query string of `GET /contacts`, without a search), or every contact. Whatever the kind, only
/// contacts the channel can reach are recipients:
/// - SMS: a phone number, and `sms_consent` not `opted_out` (`opted_in` with `opted_in_only`);
/// - email: an email address, and `email_consent` not `opted_out` (`opted_in` with `opted_in_only`).
/// `unknown` consent counts as consent unless `opted_in_only`, as for one-off messages (imports start
/// unknown). Consent and the suppression list are checked again when each message is sent.
enum CampaignAudience: Equatable, Sendable {
    case groups([String], optedInOnly: Bool)
    case filter(String, optedInOnly: Bool)
    case all(optedInOnly: Bool)

    var optedInOnly: Bool {
        switch self {
        case .groups(_, let only), .filter(_, let only), .all(let only): only
        }
    }

    /// From the request's `audience` object (its schema already checked the shape).
    init(json: JSONValue) throws {
        guard let object = json.objectValue else { throw APIError.invalidField("audience", "must be an object") }
        let body = JSONBody(fields: object)
        let only = try body.bool("opted_in_only") ?? false
        let kinds = ["group_ids", "filter", "all"].filter { object[$0] != nil && object[$0] != .null }
        guard kinds.count == 1 else { throw APIError.invalidField("audience", "give exactly one of group_ids, filter, all") }
        switch kinds[0] {
        case "group_ids":
            let ids = try body.ids("group_ids")
            guard ids.count <= 100 else { throw APIError.invalidField("audience.group_ids", "holds at most 100 groups") }
            self = .groups(Array(Set(ids)).sorted(), optedInOnly: only)
        case "filter":
            let query = try body.string("filter", max: 2000) ?? ""
            _ = try Self.contactQuery(query)
            self = .filter(query, optedInOnly: only)
        default:
            guard try body.bool("all") == true else { throw APIError.invalidField("audience.all", "must be true") }
            self = .all(optedInOnly: only)
        }
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["opted_in_only": .bool(optedInOnly)]
        switch self {
        case .groups(let ids, _): object["group_ids"] = .array(ids.map(JSONValue.string))
        case .filter(let query, _): object["filter"] = .string(query)
        case .all: object["all"] = .bool(true)
        }
        return .object(object)
    }

    /// The filters `GET /contacts` takes; a search (`q`, `prefix`) ranks rather than selects, and a sort
    /// means nothing to a campaign, so neither may be saved.
    private static let filterKeys = Set(ContactQuery.parameters.map(\.name)).subtracting(["q", "prefix", "sort"])

    /// A saved filter read as the contact list reads its query; a mistake names `audience.filter`.
    static func contactQuery(_ query: String) throws -> ContactQuery {
        for pair in query.split(separator: "&") {
            let key = PercentDecoding.decode(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0], plusAsSpace: true)
            guard filterKeys.contains(key) || (key.hasPrefix("custom.") && key.count > 7) else {
                throw APIError.invalidField("audience.filter", "'\(key)' is not a contact filter (use \(filterKeys.sorted().joined(separator: ", ")), custom.<key>)")
            }
        }
        do {
            return try ContactQuery(Request(method: "GET", target: "/?" + query, headers: [:], body: []))
        } catch let error as APIError {
            throw APIError.invalidField("audience.filter", error.message)
        }
    }

    /// WHERE conditions on `contacts c` (beyond workspace and cursor) selecting the recipients on `channel`.
    func conditions(_ channel: MessageChannel, _ dialect: SQLDialect) throws -> (sql: [String], values: [any SQLBindable]) {
        var sql: [String] = []
        var values: [any SQLBindable] = []
        switch self {
        case .groups(let ids, _):
            sql.append("EXISTS (SELECT 1 FROM group_members gm WHERE gm.contact_id = c.id AND gm.group_id IN (SELECT value FROM \(dialect.elements())))")
            values.append(SQLList.json(ids))
        case .filter(let query, _):
            (sql, values) = try Self.contactQuery(query).filters(dialect)
        case .all:
            break
        }
        let (address, consent) = channel == .email ? ("c.email IS NOT NULL AND c.email <> ''", "c.email_consent") : ("c.phone <> ''", "c.sms_consent")
        sql.append(address)
        sql.append(optedInOnly ? "\(consent) = 'opted_in'" : "\(consent) <> 'opted_out'")
        return (sql, values)
    }
}

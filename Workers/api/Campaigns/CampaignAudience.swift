import OzziRuntime

/// Who a campaign goes to: members of any of some groups, the contacts a saved contact filter selects
/// (the filters of `GET /contacts`, without a search: group, SMS consent, source, custom fields, created
/// and updated times), or every contact. Whatever the kind, only
/// contacts the channel can reach are recipients:
/// - SMS: a phone number (contacts with only an email address are not in the audience, nor its count),
///   and `sms_consent` not `opted_out` (`opted_in` with `opted_in_only`);
/// - email: an email address, and `email_consent` not `opted_out` (`opted_in` with `opted_in_only`).
/// `unknown` consent counts as consent unless `opted_in_only`, as for one-off messages (imports start
/// unknown). Consent and the suppression list are checked again when each message is sent.
enum CampaignAudience: Equatable, Sendable {
    case groups([String], optedInOnly: Bool)
    case filter([String: JSONValue], optedInOnly: Bool)
    case all(optedInOnly: Bool)

    var optedInOnly: Bool {
        switch self {
        case .groups(_, let only), .filter(_, let only), .all(let only): only
        }
    }

    /// From the request's `audience` object (its schema already checked the shape: one of three `type`s).
    init(json: JSONValue) throws {
        guard let object = json.objectValue else { throw APIError.invalidField("audience", "must be an object") }
        let body = JSONBody(fields: object)
        let only = try body.bool("opted_in_only") ?? false
        switch try body.choice("type", ["groups", "filter", "all"]) {
        case "groups":
            let ids = try body.ids("group_ids")
            guard ids.count <= 100 else { throw APIError.invalidField("audience.group_ids", "holds at most 100 groups") }
            self = .groups(Array(Set(ids)).sorted(), optedInOnly: only)
        case "filter":
            guard let filter = object["filter"]?.objectValue else { throw APIError.invalidField("audience.filter", "is required with type filter") }
            _ = try Self.contactQuery(filter)
            self = .filter(filter, optedInOnly: only)
        case "all":
            self = .all(optedInOnly: only)
        default:
            throw APIError.invalidField("audience.type", "is required: groups, filter or all")
        }
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["opted_in_only": .bool(optedInOnly)]
        switch self {
        case .groups(let ids, _):
            object["type"] = "groups"
            object["group_ids"] = .array(ids.map(JSONValue.string))
        case .filter(let filter, _):
            object["type"] = "filter"
            object["filter"] = .object(filter)
        case .all:
            object["type"] = "all"
        }
        return .object(object)
    }

    /// A saved filter read as the contact list reads its query parameters; a mistake names its field.
    static func contactQuery(_ filter: [String: JSONValue]) throws -> ContactQuery {
        do {
            return try readQuery(filter)
        } catch let error as APIError where error.code == "invalid_field" && !error.message.hasPrefix("audience.") {
            throw error.nested(under: "audience.filter")
        }
    }

    private static func readQuery(_ filter: [String: JSONValue]) throws -> ContactQuery {
        let body = JSONBody(fields: filter)
        var query = ContactQuery()
        query.groupID = try body.string("group_id", max: 64)
        query.consent = try body.choice("consent", Contact.consentStates)
        query.source = try body.choice("source", Contact.sources)
        if let custom = filter["custom"], custom != .null {
            guard let fields = custom.objectValue else { throw APIError.invalidField("audience.filter.custom", "must be an object of strings") }
            query.custom = try fields.sorted { $0.key < $1.key }.map { key, value in
                guard let text = value.stringValue else { throw APIError.invalidField("audience.filter.custom.\(key)", "must be a string") }
                return (key, text)
            }
        }
        for (name, path) in [("created_after", \ContactQuery.createdAfter), ("created_before", \ContactQuery.createdBefore),
                             ("updated_after", \ContactQuery.updatedAfter), ("updated_before", \ContactQuery.updatedBefore)] {
            guard let text = try body.string(name, max: 40) else { continue }
            // The schema's pattern made it a UTC instant, which compares with the stored ones as text.
            query[keyPath: path] = SQLDate.parse(text).map(SQLDate.format) ?? text
        }
        return query
    }

    /// WHERE conditions on `contacts c` (beyond workspace and cursor) selecting the recipients on `channel`.
    func conditions(_ channel: MessageChannel, _ dialect: SQLDialect) throws -> (sql: [String], values: [any SQLBindable]) {
        var sql: [String] = []
        var values: [any SQLBindable] = []
        switch self {
        case .groups(let ids, _):
            sql.append("EXISTS (SELECT 1 FROM group_members gm WHERE gm.contact_id = c.id AND gm.group_id IN (SELECT value FROM \(dialect.elements())))")
            values.append(SQLList.json(ids))
        case .filter(let filter, _):
            (sql, values) = try Self.contactQuery(filter).filters(dialect)
        case .all:
            break
        }
        let (address, consent) = channel == .email ? ("c.email IS NOT NULL AND c.email <> ''", "c.email_consent") : ("c.phone IS NOT NULL AND c.phone <> ''", "c.sms_consent")
        sql.append(address)
        sql.append(optedInOnly ? "\(consent) = 'opted_in'" : "\(consent) <> 'opted_out'")
        return (sql, values)
    }
}

import OzziRuntime

/// Which messages a list, a cancel or a bulk action means: by ids, status, campaign, category, contact.
struct MessageFilter: Sendable {
    var ids: [String]?
    var status: MessageStatus?
    var campaign: String?
    var category: String?
    var contactID: String?

    /// From list query parameters.
    init(_ request: Request) throws {
        if let text = request.queryParameter("status") {
            guard let status = MessageStatus(rawValue: text) else {
                throw APIError.invalidField("status", "must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        campaign = request.queryParameter("campaign")
        category = request.queryParameter("category")
        contactID = request.queryParameter("contact_id")
    }

    /// From a JSON `filter` object (bulk actions).
    init(json: JSONValue) throws {
        guard let object = json.objectValue else { throw APIError.invalidField("filter", "must be an object") }
        let body = JSONBody(fields: object)
        if let text = try body.string("status") {
            guard let status = MessageStatus(rawValue: text) else { throw APIError.invalidField("filter.status", "is not a message status") }
            self.status = status
        }
        campaign = try body.string("campaign")
        category = try body.string("category")
        contactID = try body.string("contact_id")
        guard status != nil || campaign != nil || category != nil || contactID != nil else {
            throw APIError.invalidField("filter", "name at least one of status, campaign, category, contact_id")
        }
    }

    init(ids: [String]) {
        self.ids = ids
    }

    /// ` AND ...` clauses and their values.
    func sql(_ dialect: SQLDialect) -> (String, [any SQLBindable]) {
        var clause = ""
        var values: [any SQLBindable] = []
        if let ids {
            clause += " AND id IN (SELECT value FROM \(dialect.elements()))"
            values.append(SQLList.json(ids))
        }
        if let status { clause += " AND status = ?"; values.append(status.rawValue) }
        if let campaign { clause += " AND campaign = ?"; values.append(campaign) }
        if let category { clause += " AND category = ?"; values.append(category) }
        if let contactID { clause += " AND contact_id = ?"; values.append(contactID) }
        return (clause, values)
    }
}

import FoundationEssentials
import OzziRuntime

/// `/api/v1/contacts/bulk`, `/imports` and `/export`.
extension RouteGroup {
    func addContactBulkRoutes(_ s: ContactsDomain) {
        authed("POST", "/bulk",
               "Delete, add to or remove from a group, or set consent, for contact_ids or a filter (up to 10,000, one transaction)",
               tag: "contacts", body: .json(Self.contactBulkSchema), answers: .json(Self.bulkResultSchema)) { request, _, principal in
            let body = try JSONBody(request)
            guard let action = try body.choice("action", ["delete", "add_to_group", "remove_from_group", "set_consent"]) else {
                throw APIError.invalidField("action", "is required")
            }
            let ids: [String]
            if body.fields["contact_ids"] != nil {
                ids = try body.ids()
            } else if case .object(let filter)? = body.fields["filter"] {
                ids = try await s.contacts.ids(principal.scope, try ContactQuery(filter: filter), limit: 10_000)
                guard ids.count <= 10_000 else { throw APIError.invalidField("filter", "selects more than 10,000 contacts; narrow it") }
            } else {
                throw APIError.invalidField("contact_ids", "give contact_ids or a filter")
            }
            let scope = principal.scope
            let now = Timestamp.now(s.clock)
            var groupID: String?
            if action == "add_to_group" || action == "remove_from_group" {
                groupID = try body.requiredString("group_id", max: 64)
                guard try await s.groups.get(scope, id: groupID!) != nil else { throw APIError.notFound("group") }
            }
            let consent = action == "set_consent" ? try ContactInput.consent(body.fields["sms_consent"] ?? .null) : nil
            let target = groupID
            let affected = try await s.contacts.database.transaction { tx -> Int in
                switch action {
                case "delete": try ContactStore.delete(tx, scope, ids: ids)
                case "add_to_group": try GroupStore.add(tx, scope, groupID: target!, contactIDs: ids, now: now)
                case "remove_from_group": try GroupStore.remove(tx, groupID: target!, contactIDs: ids)
                default: try ContactStore.setConsent(tx, scope, ids: ids, consent!, now: now)
                }
            }
            return .json(["action": .string(action), "matched": .number(Double(ids.count)), "affected": .number(Double(affected))] as JSONValue)
        }

        authed("POST", "/imports",
               "Import a CSV body (up to 100,000 rows) as a background job: ?mapping={\"phone\":\"Mobile\",...}&on_duplicate=update|skip. The header must have the columns the mapping names, and (mapped or by name) a phone or an email column. A row is the contact with its phone, or, without one, with its email address; a row with neither, or whose email another contact has, is rejected with its reason",
               tag: "contacts", body: .csv(maxBytes: ContactImporter.maxBytes),
               query: [.query("mapping", Schema.string(max: 4096).example(#"{"phone":"Mobile"}"#),
                              "A JSON object of contact field -> CSV column name; without it, columns named like the fields are used"),
                       .query("on_duplicate", .oneOf(["skip", "update"]), "What a row whose phone (without one: email) is already a contact does (default skip)")],
               answers: .json(.model(ContactImport.self)), success: 202, streamBody: ContactImporter.maxBytes) { request, _, principal in
            let onDuplicate = request.queryParameter("on_duplicate") ?? "skip"
            guard ["update", "skip"].contains(onDuplicate) else { throw APIError.invalidField("on_duplicate", "must be update or skip") }
            var mapping: [String: String]?
            if let text = request.queryParameter("mapping") {
                guard let object = (try? JSONValue(jsonBytes: Array(text.utf8)))?.objectValue,
                      case let pairs = object.compactMapValues(\.stringValue), pairs.count == object.count else {
                    throw APIError.invalidField("mapping", "must be a JSON object of field -> CSV column name")
                }
                try TextInput.check(.object(object), at: "mapping")
                mapping = pairs
            }
            let started = try await s.importer.start(principal.scope, csv: request.bodyChunks(), mapping: mapping, onDuplicate: onDuplicate,
                                                     createdBy: principal.userID)
            return .json(started, status: 202)
        }

        authed("GET", "/imports/:id", "An import's progress and per-row report", tag: "contacts",
               answers: .json(.model(ContactImport.self))) { _, context, principal in
            guard let report = try await s.importer.report(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("import") }
            return .json(report)
        }

        authed("GET", "/export", "The filtered contacts as CSV, streamed", tag: "contacts", query: ContactQuery.parameters,
               answers: .csv(columns: Self.exportColumns)) { request, _, principal in
            let query = try ContactQuery(request)
            let scope = principal.scope
            let contacts = s.contacts
            // The first page is read before the answer starts: a query the database refuses (a stray quote
            // in `q`) is a 422, not a stream cut off after its header row.
            let first = try await contacts.list(scope, query, limit: 1000, after: nil)
            var response = Response.stream(contentType: "text/csv; charset=utf-8") { writer in
                try await writer.write(CSVWriter.line(Self.exportColumns))
                var page = first
                while true {
                    var chunk = ""
                    for c in page.rows {
                        // Names and notes may come from anyone (a form, the chat): kept from reading as formulas.
                        chunk += CSVWriter.line([c.id, CSVWriter.cell(c.name), CSVWriter.cell(c.first_name), CSVWriter.cell(c.last_name), c.phone ?? "",
                                                 c.email ?? "", CSVWriter.cell(c.notes),
                                                 String(decoding: c.custom_fields.jsonBytes, as: UTF8.self), c.source, c.sms_consent.status,
                                                 c.created_at, c.updated_at])
                    }
                    if !chunk.isEmpty { try await writer.write(chunk) }
                    guard let next = page.next else { break }
                    page = try await contacts.list(scope, query, limit: 1000, after: next)
                }
            }
            response.headers["content-disposition"] = "attachment; filename=\"contacts.csv\""
            return response
        }
    }
}

extension RouteGroup {
    static let exportColumns = ["id", "name", "first_name", "last_name", "phone", "email", "notes", "custom_fields",
                                "source", "sms_consent", "created_at", "updated_at"]

    /// `{action, contact_ids | filter}`, with `group_id` for the group actions and `sms_consent` for set_consent.
    static var contactBulkSchema: Schema {
        let selection: [Property] = [
            .optional("contact_ids", .idList),
            .optional("filter", Schema.object([
                .optional("q", Schema.string(max: 200).nullable), .optional("group_id", Schema.string(max: 64).nullable),
                .optional("consent", Schema.oneOf(Contact.consentStates).nullable), .optional("source", Schema.oneOf(Contact.sources).nullable),
                .optional("custom", Schema.dictionary(.any)),
                .optional("created_after", Schema.timestamp.nullable), .optional("created_before", Schema.timestamp.nullable),
                .optional("updated_after", Schema.timestamp.nullable), .optional("updated_before", Schema.timestamp.nullable),
            ]).described("Selects contacts as the list's query parameters do")),
        ]
        func form(_ actions: [String], _ extra: [Property]) -> Schema {
            .object([.required("action", .oneOf(actions))] + selection + extra, exactlyOne: [["contact_ids", "filter"]])
        }
        return .oneOf([
            form(["delete"], []),
            form(["add_to_group", "remove_from_group"], [.required("group_id", .text(max: 64))]),
            form(["set_consent"], [.required("sms_consent", ContactInput.consentSchema)]),
        ])
    }

    static let bulkResultSchema = Schema.object([
        .required("action", .string()), .required("matched", .integer(min: 0)), .required("affected", .integer(min: 0)),
    ], closed: true)
}

extension ContactQuery {
    /// A bulk operation's `filter` object: the same keys as the list route's query parameters.
    init(filter: [String: JSONValue]) throws {
        self.init()
        text = filter["q"]?.stringValue
        groupID = filter["group_id"]?.stringValue
        consent = filter["consent"]?.stringValue
        source = filter["source"]?.stringValue
        if let consent, !Contact.consentStates.contains(consent) { throw APIError.invalidField("filter.consent", "is not a consent state") }
        if case .object(let custom)? = filter["custom"] {
            self.custom = custom.compactMap { key, value in value.stringValue.map { (key, $0) } }
        }
        for (key, keyPath) in [("created_after", \ContactQuery.createdAfter), ("created_before", \.createdBefore),
                               ("updated_after", \.updatedAfter), ("updated_before", \.updatedBefore)] {
            if let text = filter[key]?.stringValue {
                guard let date = SQLDate.parse(text) else { throw APIError.invalidField("filter.\(key)", "must be an ISO-8601 instant") }
                self[keyPath: keyPath] = SQLDate.format(date)
            }
        }
    }
}

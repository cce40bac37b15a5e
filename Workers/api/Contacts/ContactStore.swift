import FoundationEssentials
import OzziRuntime

/// All SQL about contacts. Every method takes the caller's tenant scope.
struct ContactStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// A contact's columns from `contacts c`.
    static let columns = Contact.selection(from: "c")

    func create(_ scope: TenantScope, _ input: ContactInput) async throws -> Contact {
        let id = ResourceID.make("con")
        let now = Timestamp.now(clock)
        do {
            try await database.transaction { tx in
                try Self.insert(tx, scope, id: id, input, now: now)
                try WorkspaceEvents.record(tx, [(scope, "contact.created", ["contact_id": .string(id)])], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw try await duplicate(scope, phone: input.phone, email: input.email ?? nil)
        }
        return try await get(scope, id: id)!
    }

    static func insert(_ tx: SQLTransaction, _ scope: TenantScope, id: String, _ input: ContactInput, now: String) throws {
        _ = try insert(tx, scope, [(id, input)], now: now, skipExisting: false)
    }

    /// Inserts contacts in one statement; with `skipExisting`, a phone or email address the workspace
    /// already has is skipped instead of failing the statement. Answers how many were inserted.
    ///
    /// One statement, not one per row (see `SQLList`): row-at-a-time inserts made FTS5 write, and then
    /// merge, one index segment per row.
    static func insert(_ tx: SQLTransaction, _ scope: TenantScope, _ rows: [(id: String, input: ContactInput)], now: String, skipExisting: Bool) throws -> Int {
        let payload = SQLList.json(rows.map { id, input in
            .array([
                .string(id), .string(input.name ?? ""), .string(input.firstName ?? ""), .string(input.lastName ?? ""),
                input.phone.map(JSONValue.string) ?? .null, .string(input.phone.map(ContactInput.phoneSearch) ?? ""), (input.email ?? nil).map(JSONValue.string) ?? .null, .string(input.notes ?? ""),
                .string(json(input.customFields ?? [:])), .string(input.source ?? "api"), .string(input.consent?.status ?? "unknown"),
                input.consent.map { _ in .string(now) } ?? .null, (input.consent?.method).map(JSONValue.string) ?? .null,
                .string(input.emailConsent?.status ?? "unknown"), input.emailConsent.map { _ in .string(now) } ?? .null,
                (input.emailConsent?.method).map(JSONValue.string) ?? .null,
            ])
        })
        return try tx.run("""
            INSERT INTO contacts (id, workspace_id, name, first_name, last_name, phone, phone_search, email, notes, custom_fields, source,
              sms_consent, sms_consent_at, sms_consent_method, email_consent, email_consent_at, email_consent_method, created_at, updated_at)
            SELECT value ->> 0, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8,
              value ->> 9, value ->> 10, value ->> 11, value ->> 12, value ->> 13, value ->> 14, value ->> 15, ?, ?
            FROM \(tx.dialect.records()) WHERE true \(skipExisting ? "ON CONFLICT DO NOTHING" : "")
            """, scope.workspaceID, now, now, payload).changes
    }

    /// Merges rows into the workspace's contacts that have their phones (a row without a phone: its email
    /// address), in one statement (see `insert`): non-empty fields replace, custom fields merge, the rest
    /// is kept. (A row's own `id` is the contact it would add, so a row never merges into itself.)
    /// The caller has set aside rows whose email address another contact has (`emailTaken`). Answers how
    /// many contacts changed.
    static func merge(_ tx: SQLTransaction, _ scope: TenantScope, _ rows: [(id: String, input: ContactInput)], now: String) throws -> Int {
        // One statement per key column, so each finds its contacts through its own unique index.
        let byPhone = rows.filter { $0.input.phone != nil }, byEmail = rows.filter { $0.input.phone == nil }
        var changed = 0
        for (column, rows) in [("phone", byPhone), ("email", byEmail)] where !rows.isEmpty {
            let payload = SQLList.json(rows.map { id, input in
                .array([
                    .string(id), .string(input.phone ?? (input.email ?? nil) ?? ""), .string(input.name ?? ""), .string(input.firstName ?? ""),
                    .string(input.lastName ?? ""), (input.email ?? nil).map(JSONValue.string) ?? .null, .string(input.notes ?? ""),
                    .string(json(input.customFields ?? [:])),
                ])
            })
            // The pairs (row, contact) first, the rows driving (CROSS JOIN: SQLite keeps that order and looks
            // each one up in the key's unique index), then the update by rowid: planned as a join of the
            // table with the rows, SQLite scans the workspace's contacts once per row.
            changed += try tx.run("""
                WITH m AS MATERIALIZED (
                  SELECT c.rowid AS target, r.name, r.first_name, r.last_name, r.email, r.notes, r.custom_fields
                  FROM (SELECT value ->> 0 AS id, value ->> 1 AS match_key, value ->> 2 AS name, value ->> 3 AS first_name, value ->> 4 AS last_name,
                          value ->> 5 AS email, value ->> 6 AS notes, value ->> 7 AS custom_fields FROM \(tx.dialect.records())) AS r
                  CROSS JOIN contacts c
                  WHERE c.workspace_id = ? AND c.\(column) = r.match_key AND c.id <> r.id)
                UPDATE contacts SET
                  name = CASE WHEN m.name = '' THEN contacts.name ELSE m.name END,
                  first_name = CASE WHEN m.first_name = '' THEN contacts.first_name ELSE m.first_name END,
                  last_name = CASE WHEN m.last_name = '' THEN contacts.last_name ELSE m.last_name END,
                  email = coalesce(m.email, contacts.email),
                  notes = CASE WHEN m.notes = '' THEN contacts.notes ELSE m.notes END,
                  custom_fields = \(tx.dialect.jsonMerge("contacts.custom_fields", "m.custom_fields")), updated_at = ?
                FROM m WHERE contacts.rowid = m.target
                """, payload, scope.workspaceID, now).changes
        }
        return changed
    }

    /// Deletes the workspace's contacts among `ids` in one statement; answers how many.
    static func delete(_ tx: SQLTransaction, _ scope: TenantScope, ids: [String]) throws -> Int {
        try tx.run("DELETE FROM contacts WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements()))", scope.workspaceID, SQLList.json(ids)).changes
    }

    /// Sets the SMS consent of the workspace's contacts among `ids` in one statement; answers how many.
    static func setConsent(_ tx: SQLTransaction, _ scope: TenantScope, ids: [String], _ consent: (status: String, method: String?), now: String) throws -> Int {
        try tx.run("""
            UPDATE contacts SET sms_consent = ?, sms_consent_at = ?, sms_consent_method = ?, updated_at = ?
            WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements()))
            """, consent.status, now, consent.method, now, scope.workspaceID, SQLList.json(ids)).changes
    }

    /// Of `rows` (index, phone, email), those whose email address another contact has: one with another
    /// phone than the row's, or none. Such a row can be neither inserted nor merged (an address is unique
    /// in the workspace). Answers row index -> the contact that has the address.
    static func emailTaken(_ tx: SQLTransaction, _ scope: TenantScope, _ rows: [(index: Int, phone: String, email: String)]) throws -> [Int: String] {
        guard !rows.isEmpty else { return [:] }
        let payload = SQLList.json(rows.map { .array([.string(String($0.index)), .string($0.phone), .string($0.email)]) })
        // CROSS JOIN: the rows drive, each looked up in the address index (see `merge`).
        let taken = try tx.all("""
            SELECT r.i, c.id FROM (SELECT value ->> 0 AS i, value ->> 1 AS phone, value ->> 2 AS email FROM \(tx.dialect.records())) AS r
            CROSS JOIN contacts c
            WHERE c.workspace_id = ? AND c.email = r.email AND (c.phone IS NULL OR c.phone <> r.phone)
            """, payload, scope.workspaceID)
        return Dictionary(taken.compactMap { row in row.text("i").flatMap { Int($0) }.map { ($0, row.text("id") ?? "") } }, uniquingKeysWith: { a, _ in a })
    }

    /// The 409 for a phone or email address already in the workspace, naming the contact that has it.
    func duplicate(_ scope: TenantScope, phone: String?, email: String?) async throws -> APIError {
        for (field, value) in [("phone", phone), ("email", email)] {
            guard let value, let existing = try await database.prepare("SELECT id, name FROM contacts WHERE workspace_id = ? AND \(field) = ?")
                .bind(scope.workspaceID, value).first() else { continue }
            let id = existing.text("id") ?? ""
            return APIError.conflict("contact \(id) (\(existing.text("name") ?? "")) already has the \(field) \(value)",
                                     details: .object(["field": .string(field), "existing_contact_id": .string(id)]))
        }
        // Deleted since the statement failed: the same answer, without the contact.
        return APIError.conflict("another contact has the same phone or email", details: .object(["field": .string(phone != nil ? "phone" : "email")]))
    }

    func get(_ scope: TenantScope, id: String) async throws -> Contact? {
        try await database.prepare("SELECT \(Self.columns) FROM contacts c WHERE c.workspace_id = ? AND c.id = ?")
            .bind(scope.workspaceID, id).first(Contact.self)
    }

    /// The workspace's contact with this (E.164) phone number: phones are unique within a workspace.
    func byPhone(_ scope: TenantScope, _ phone: String) async throws -> Contact? {
        try await database.prepare("SELECT \(Self.columns) FROM contacts c WHERE c.workspace_id = ? AND c.phone = ?")
            .bind(scope.workspaceID, phone).first(Contact.self)
    }

    /// Applies the fields given; the others keep their values.
    func update(_ scope: TenantScope, id: String, _ input: ContactInput) async throws -> Contact? {
        guard let current = try await get(scope, id: id) else { return nil }
        var merged = input
        if input.firstName == nil, input.lastName == nil {
            // Only `name` given (split it), or no name change at all.
            if input.name != nil { merged.fillNames() } else { (merged.name, merged.firstName, merged.lastName) = (current.name, current.first_name, current.last_name) }
        } else {
            merged.firstName = input.firstName ?? current.first_name
            merged.lastName = input.lastName ?? current.last_name
            merged.name = input.name ?? [merged.firstName, merged.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        var custom = current.custom_fields.objectValue ?? [:]
        for (key, value) in input.customFields ?? [:] {
            // A null removes the field.
            if value == .null { custom.removeValue(forKey: key) } else { custom[key] = value }
        }
        let now = Timestamp.now(clock)
        let phone = input.phone ?? current.phone
        let email = input.email ?? current.email
        guard phone != nil || email != nil else {
            throw APIError.conflict("contact \(id) has no phone: without its email it could not be reached", details: .object(["field": "email"]))
        }
        let values: [any SQLBindable] = [
            merged.name ?? "", merged.firstName ?? "", merged.lastName ?? "", phone, phone.map(ContactInput.phoneSearch) ?? "",
            email, input.notes ?? current.notes, Self.json(custom), input.source ?? current.source,
            input.consent?.status ?? current.sms_consent.status, input.consent != nil ? now : current.sms_consent.changed_at,
            input.consent != nil ? input.consent?.method : current.sms_consent.method,
            input.emailConsent?.status ?? current.email_consent.status, input.emailConsent != nil ? now : current.email_consent.changed_at,
            input.emailConsent != nil ? input.emailConsent?.method : current.email_consent.method, now, scope.workspaceID, id,
        ]
        do {
            try await database.transaction { tx in
                try tx.execute("""
                    UPDATE contacts SET name = ?, first_name = ?, last_name = ?, phone = ?, phone_search = ?, email = ?, notes = ?,
                      custom_fields = ?, source = ?, sms_consent = ?, sms_consent_at = ?, sms_consent_method = ?,
                      email_consent = ?, email_consent_at = ?, email_consent_method = ?, updated_at = ?
                    WHERE workspace_id = ? AND id = ?
                    """, values.map(\.sqlValue))
                try WorkspaceEvents.record(tx, [(scope, "contact.updated", ["contact_id": .string(id)])], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            // Only a value this change gives can be another contact's.
            throw try await duplicate(scope, phone: phone == current.phone ? nil : phone, email: email == current.email ? nil : email)
        }
        return try await get(scope, id: id)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM contacts WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "contact.deleted", ["contact_id": .string(id)])], at: now)
            return true
        }
    }

    /// A page of contacts: `limit + 1` rows so the caller knows whether there is more.
    func list(_ scope: TenantScope, _ query: ContactQuery, limit: Int, after cursor: String?) async throws -> (rows: [Contact], next: String?) {
        var (conditions, values) = query.filters(database.dialect)
        conditions.insert("c.workspace_id = ?", at: 0)
        values.insert(scope.workspaceID, at: 0)
        if let terms = query.search() {
            guard !terms.words.isEmpty else { return ([], nil) }
            let offset = cursor.flatMap(Int.init) ?? 0
            let (sql, bound) = database.dialect.contactSearch.select(Self.columns, terms, where: conditions, values, limit: limit + 1, offset: offset)
            let rows = try await database.prepare(sql).bind(bound).all(Contact.self)
            return (Array(rows.prefix(limit)), rows.count > limit ? String(offset + limit) : nil)
        }
        // Keyset paging on (sort column, rowid): the rowid is unique, never reused while the row lives, and
        // the last column of the sort indexes (implicitly on SQLite; PostgreSQL's contacts have a rowid column).
        let column = query.sort.rawValue
        let comparison = query.descending ? "<" : ">"
        let direction = query.descending ? "DESC" : "ASC"
        if let cursor {
            // A cursor of the documented shape that this list did not issue still names a position: its
            // first part as the sort value, its second (if a number) as the row (PageRequest.parameters).
            let parts = cursor.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let rowid = parts.count == 2 ? Int64(parts[1]) ?? 0 : 0
            conditions.append("(c.\(column), c.rowid) \(comparison) (?, ?)")
            values += [parts[0], rowid]
        }
        let rows = try await database.prepare("""
            SELECT \(Self.columns), c.\(column) AS sort_key, c.rowid AS row_key FROM contacts c WHERE \(conditions.joined(separator: " AND "))
            ORDER BY c.\(column) \(direction), c.rowid \(direction) LIMIT ?
            """).bind(values + [limit + 1]).all(Listed.self)
        let shown = rows.prefix(limit)
        let next = rows.count > limit ? shown.last.map { $0.sortKey + "\u{1F}" + String($0.rowKey) } : nil
        return (shown.map(\.contact), next)
    }

    /// The ids a filter selects (for bulk operations), at most `limit + 1`.
    func ids(_ scope: TenantScope, _ query: ContactQuery, limit: Int) async throws -> [String] {
        var all: [String] = []
        var cursor: String?
        repeat {
            let page = try await list(scope, query, limit: min(1000, limit + 1 - all.count), after: cursor)
            all += page.rows.map(\.id)
            cursor = page.next
        } while cursor != nil && all.count <= limit
        return all
    }

    static func json(_ fields: [String: JSONValue]) -> String {
        String(decoding: JSONValue.object(fields).jsonBytes, as: UTF8.self)
    }

    /// A listed contact with its keyset cursor's parts: the sort column's value and the rowid.
    private struct Listed: SQLRecord {
        let contact: Contact
        let sortKey: String
        let rowKey: Int64

        enum Columns: String, SQLColumn { case sort_key, row_key }

        init(row: SQLRecordRow<Columns>) throws {
            contact = try row.record(Contact.self)
            sortKey = try row.decode(String.self, forKey: .sort_key)
            rowKey = try row.decode(Int64.self, forKey: .row_key)
        }
    }
}

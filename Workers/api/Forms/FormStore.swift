import OzziRuntime
import Synchronization

/// All SQL about forms and their versions. A change writes a new version and moves the form to it; a
/// version once written never changes, so its parsed definition is kept in memory by (form, version).
/// A form read by its public key (every view and submission) is kept for a second (`RecentForms`).
struct FormStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let defaultCountry: String
    private let parsed = ParsedDefinitions()
    private let recent = RecentForms()

    init(database: any SQLDatabase, clock: any WallClock, defaultCountry: String) {
        self.database = database
        self.clock = clock
        self.defaultCountry = defaultCountry
    }

    private static let select = """
        SELECT f.id, f.workspace_id, f.name, f.public_key, f.version, f.enabled, f.created_by, f.created_at, f.updated_at, v.definition
        FROM forms f JOIN form_versions v ON v.form_id = f.id AND v.version = f.version
        """

    func create(_ scope: TenantScope, name: String, definition: FormDefinition, createdBy: String) async throws -> Form {
        let id = ResourceID.make("frm")
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO forms (id, workspace_id, name, public_key, version, enabled, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?)
                """, id, scope.workspaceID, name, Self.newPublicKey(), createdBy, now, now)
            try tx.run("INSERT INTO form_versions (form_id, version, definition, created_by, created_at) VALUES (?, 1, ?, ?, ?)",
                       id, definition.json.jsonText, createdBy, now)
            try WorkspaceEvents.record(tx, [(scope, "form.created", ["form_id": .string(id)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Form? {
        try form(try await database.prepare(Self.select + " WHERE f.workspace_id = ? AND f.id = ?").bind(scope.workspaceID, id).first(Form.Row.self))
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [Form] {
        var forms: [Form] = []
        for row in try await database.prepare(Self.select + " WHERE f.workspace_id = ? AND f.id > ? ORDER BY f.id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(Form.Row.self) {
            if let form = try form(row) { forms.append(form) }
        }
        return forms
    }

    /// The form as `get` reads it, or as read within the last second (`RecentForms`): what a workflow job
    /// needs of it (its name, creator and current version) for each submission of a flood.
    func recent(_ scope: TenantScope, id: String) async throws -> Form? {
        let form = try await remembered(id) { try await get(scope, id: id) }
        return form?.workspaceID == scope.workspaceID ? form : nil
    }

    /// The form kept under `key` within the last second, else what `read` answers (then kept).
    private func remembered(_ key: String, _ read: () async throws -> Form?) async throws -> Form? {
        let now = clock.milliseconds
        if let form = recent.get(key, now: now) { return form }
        let form = try await read()
        if let form { recent.put(form, now: now) }
        return form
    }

    /// The form a script tag names, in whichever workspace: the form-embed worker's lookup.
    func byPublicKey(_ key: String) async throws -> Form? {
        try await remembered(key) { try form(try await database.prepare(Self.select + " WHERE f.public_key = ?").bind(key).first(Form.Row.self)) }
    }

    /// Changes the name or enabled flag in place, and the definition as a new version. Nil when the
    /// workspace has no such form.
    func update(_ scope: TenantScope, id: String, name: String?, enabled: Bool?, definition: FormDefinition?, changedBy: String) async throws -> Form? {
        let now = Timestamp.now(clock)
        let changed: Bool
        do {
            changed = try await database.transaction { tx -> Bool in
                guard let current = try tx.all("SELECT version FROM forms WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).first?.integer("version").map(Int.init) else {
                    return false
                }
                var version = current
                if let definition {
                    version += 1
                    try tx.run("INSERT INTO form_versions (form_id, version, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                               id, version, definition.json.jsonText, changedBy, now)
                }
                try tx.run("""
                    UPDATE forms SET name = coalesce(?, name), enabled = coalesce(?, enabled), version = ?, updated_at = ? WHERE workspace_id = ? AND id = ?
                    """, name, enabled.map { $0 ? 1 : 0 }, version, now, scope.workspaceID, id)
                try WorkspaceEvents.record(tx, [(scope, "form.updated", ["form_id": .string(id), "version": .number(Double(version))])], at: now)
                return true
            }
            recent.forget(formID: id)
        } catch let error as SQLError where error.isUniqueViolation {
            // Another change took the same version number first.
            throw APIError.conflict("the form was changed by someone else at the same time; read it again and retry", details: ["field": "fields"])
        }
        return changed ? try await get(scope, id: id) : nil
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        defer { recent.forget(formID: id) }
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM forms WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "form.deleted", ["form_id": .string(id)])], at: now)
            return true
        }
    }

    /// One version's definition (what a submission answered).
    func definition(formID: String, version: Int) async throws -> FormDefinition? {
        if let known = parsed.get(formID, version) { return known }
        guard let row = try await database.prepare("SELECT definition FROM form_versions WHERE form_id = ? AND version = ?").bind(formID, version).first(),
              let text = row.text("definition") else { return nil }
        return try parse(formID, version, text)
    }

    /// The versions of a form, newest first, with who made each.
    func versions(_ scope: TenantScope, id: String) async throws -> [JSONValue]? {
        guard try await database.prepare("SELECT 1 FROM forms WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first() != nil else { return nil }
        return try await database.prepare("SELECT version, created_by, created_at FROM form_versions WHERE form_id = ? ORDER BY version DESC LIMIT 1000")
            .bind(id).all().map { row in
                ["version": .number(Double(row.integer("version") ?? 0)), "created_by": .string(row.text("created_by") ?? ""), "created_at": .string(row.text("created_at") ?? "")]
            }
    }

    private func form(_ row: Form.Row?) throws -> Form? {
        guard let row else { return nil }
        let definition = try parsed.get(row.id, row.version) ?? parse(row.id, row.version, row.definition)
        return Form(id: row.id, workspaceID: row.workspaceID, name: row.name, publicKey: row.publicKey, version: row.version, enabled: row.enabled,
                    createdBy: row.createdBy, createdAt: row.createdAt, updatedAt: row.updatedAt, definition: definition)
    }

    private func parse(_ formID: String, _ version: Int, _ text: String) throws -> FormDefinition {
        let definition = try FormDefinition(stored: try JSONValue(jsonBytes: Array(text.utf8)), defaultCountry: defaultCountry)
        parsed.put(formID, version, definition)
        return definition
    }

    /// 120 random bits in the ids' alphabet, as widgets' keys: public, not guessable.
    static func newPublicKey() -> String {
        "fpk_" + WidgetStore.newPublicKey().dropFirst(4)
    }

    /// Parsed definitions by form and version (immutable once written), up to a few thousand.
    final class ParsedDefinitions: Sendable {
        private let cache = Mutex<[String: FormDefinition]>([:])

        func get(_ formID: String, _ version: Int) -> FormDefinition? {
            cache.withLock { $0["\(formID):\(version)"] }
        }

        func put(_ formID: String, _ version: Int, _ definition: FormDefinition) {
            cache.withLock { cache in
                if cache.count >= 4_096 { cache.removeAll(keepingCapacity: true) }
                cache["\(formID):\(version)"] = definition
            }
        }
    }
}

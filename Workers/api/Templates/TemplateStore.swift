import OzziRuntime

/// All SQL about templates.
struct TemplateStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    func create(_ scope: TenantScope, name: String, category: String, body: String) async throws -> Template {
        let id = ResourceID.make("tpl")
        let now = Timestamp.now(clock)
        do {
            try await database.prepare("""
                INSERT INTO templates (id, workspace_id, name, category, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).bind(id, scope.workspaceID, name, category, body, now, now).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a template named '\(name)' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Template? {
        try await database.prepare("SELECT \(Template.selection) FROM templates WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Template.self)
    }

    func list(_ scope: TenantScope, category: String?, page: PageRequest) async throws -> [Template] {
        try await database.prepare("""
            SELECT \(Template.selection) FROM templates WHERE workspace_id = ? AND (CAST(? AS TEXT) IS NULL OR category = ?) AND name > ? ORDER BY name LIMIT ?
            """).bind(scope.workspaceID, category, category, page.after ?? "", page.limit + 1).all(Template.self)
    }

    func update(_ scope: TenantScope, id: String, name: String?, category: String?, body: String?) async throws -> Template? {
        do {
            try await database.prepare("""
                UPDATE templates SET name = coalesce(?, name), category = coalesce(?, category), body = coalesce(?, body), updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """).bind(name, category, body, Timestamp.now(clock), scope.workspaceID, id).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a template named '\(name ?? "")' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM templates WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).run().changes == 1
    }
}

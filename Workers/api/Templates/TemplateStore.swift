import OzziRuntime

/// All SQL about templates.
struct TemplateStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    /// What a template says, by channel: an SMS body, or an email's parts.
    enum Content: Sendable, Equatable {
        case sms(body: String)
        case email(subject: String, html: String?, text: String?)
    }

    func create(_ scope: TenantScope, name: String, category: String, content: Content) async throws -> Template {
        let id = ResourceID.make("tpl")
        let now = Timestamp.now(clock)
        let (channel, body, subject, html, text): (String, String, String?, String?, String?) = switch content {
        case .sms(let body): ("sms", body, nil, nil, nil)
        case .email(let subject, let html, let text): ("email", "", subject, html, text)
        }
        do {
            try await database.prepare("""
                INSERT INTO templates (id, workspace_id, name, category, channel, body, subject, html, text, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(id, scope.workspaceID, name, category, channel, body, subject, html, text, now, now).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a template named '\(name)' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)!
    }

    func get(_ scope: TenantScope, id: String) async throws -> Template? {
        try await database.prepare("SELECT \(Template.selection) FROM templates WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Template.self)
    }

    func list(_ scope: TenantScope, category: String?, channel: String?, page: PageRequest) async throws -> [Template] {
        try await database.prepare("""
            SELECT \(Template.selection) FROM templates
            WHERE workspace_id = ? AND (CAST(? AS TEXT) IS NULL OR category = ?) AND (CAST(? AS TEXT) IS NULL OR channel = ?) AND name > ?
            ORDER BY name LIMIT ?
            """).bind(scope.workspaceID, category, category, channel, channel, page.after ?? "", page.limit + 1).all(Template.self)
    }

    /// Changes the fields given; the content replaces the template's whole content (its channel stays).
    func update(_ scope: TenantScope, id: String, name: String?, category: String?, content: Content?) async throws -> Template? {
        let body: String?, subject: String?, html: String?, text: String?
        switch content {
        case .sms(let newBody)?: (body, subject, html, text) = (newBody, nil, nil, nil)
        case .email(let newSubject, let newHTML, let newText)?: (body, subject, html, text) = ("", newSubject, newHTML, newText)
        case nil: (body, subject, html, text) = (nil, nil, nil, nil)
        }
        let replacing = content != nil
        do {
            try await database.prepare("""
                UPDATE templates SET name = coalesce(?, name), category = coalesce(?, category), body = coalesce(?, body),
                  subject = CASE WHEN ? = 1 THEN ? ELSE subject END, html = CASE WHEN ? = 1 THEN ? ELSE html END,
                  text = CASE WHEN ? = 1 THEN ? ELSE text END, updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """).bind(name, category, body, replacing, subject, replacing, html, replacing, text, Timestamp.now(clock), scope.workspaceID, id).run()
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a template named '\(name ?? "")' already exists", details: .object(["field": "name"]))
        }
        return try await get(scope, id: id)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM templates WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).run().changes == 1
    }
}

import OzziRuntime

/// All SQL about call contexts. A workspace's system contexts are made the first time it looks at its
/// contexts (a list, one, a match); custom ones when it creates them.
struct CallContextStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(CallContext.selection) FROM call_contexts"

    /// Makes the system contexts the workspace does not have yet.
    private func ensureSystem(_ scope: TenantScope) async throws {
        let have = try await database.prepare("SELECT count(*) AS n FROM call_contexts WHERE workspace_id = ? AND kind = 'system'")
            .bind(scope.workspaceID).first()?.integer("n") ?? 0
        guard have < SystemContexts.all.count else { return }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            for definition in SystemContexts.all {
                try tx.run("""
                    INSERT INTO call_contexts (id, workspace_id, kind, system_key, name, description, template, priority, enabled, rules, created_at, updated_at)
                    VALUES (?, ?, 'system', ?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (workspace_id, system_key) DO NOTHING
                    """, ResourceID.make("cctx"), scope.workspaceID, definition.key, definition.name, definition.description, definition.template,
                    definition.priority, definition.rules.json.jsonText, now, now)
            }
        }
    }

    /// Highest priority first (custom before system at equal priority): at most 500 custom contexts and the
    /// system ones, so one answer holds them all.
    func list(_ scope: TenantScope) async throws -> [CallContext] {
        try await ensureSystem(scope)
        return try await database.prepare(Self.select + " WHERE workspace_id = ? ORDER BY priority DESC, kind, id LIMIT ?")
            .bind(scope.workspaceID, Self.maxCustom + SystemContexts.all.count).all(CallContext.self)
    }

    /// One context by id. A system context's id is known only from a list, which made it: no need to make them here.
    func get(_ scope: TenantScope, id: String) async throws -> CallContext? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(CallContext.self)
    }

    struct Fields: Sendable {
        var name: String?
        var description: String?
        var template: String?
        var priority: Int?
        var enabled: Bool?
        var rules: ContextRules?

        /// A body's fields, the template checked against the variables.
        init(_ body: JSONBody) throws {
            name = try body.string("name", max: 100)
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
            description = try body.string("description", max: 500)
            if let template = try body.string("template", max: 4_000) {
                guard !template.isEmpty else { throw APIError.invalidField("template", "must not be empty") }
                _ = try ContextVariables.parse(template, field: "template")
                self.template = template
            }
            priority = try body.int("priority", -1_000...1_000)
            enabled = try body.bool("enabled")
            if let rules = body.fields["rules"], rules != .null { self.rules = try ContextRules(parsing: rules) }
        }
    }

    /// At most 500 custom contexts a workspace: they are matched in memory on every follow-up call.
    static let maxCustom = 500

    func create(_ scope: TenantScope, _ fields: Fields) async throws -> CallContext {
        guard let name = fields.name else { throw APIError.invalidField("name", "is required") }
        guard let template = fields.template else { throw APIError.invalidField("template", "is required") }
        let id = ResourceID.make("cctx"), now = Timestamp.now(clock)
        try await database.transaction { tx in
            let count = try tx.all("SELECT count(*) AS n FROM call_contexts WHERE workspace_id = ? AND kind = 'custom'", scope.workspaceID).first?.integer("n") ?? 0
            guard count < Self.maxCustom else { throw APIError.conflict("a workspace has at most \(Self.maxCustom) custom contexts", details: ["field": "name"]) }
            try tx.run("""
                INSERT INTO call_contexts (id, workspace_id, kind, name, description, template, priority, enabled, rules, created_at, updated_at)
                VALUES (?, ?, 'custom', ?, ?, ?, ?, ?, ?, ?, ?)
                """, id, scope.workspaceID, name, fields.description ?? "", template, fields.priority ?? 10, (fields.enabled ?? true) ? 1 : 0,
                (fields.rules ?? ContextRules()).json.jsonText, now, now)
            try WorkspaceEvents.record(tx, [(scope, "call_context.created", ["context_id": .string(id), "name": .string(name)])], at: now)
        }
        return try await get(scope, id: id)!
    }

    /// A change; a system context takes only `enabled` and `priority` (409 naming the first other field).
    func update(_ scope: TenantScope, _ current: CallContext, _ fields: Fields) async throws -> CallContext {
        if current.kind == "system" {
            let fixed = [("name", fields.name != nil), ("description", fields.description != nil), ("template", fields.template != nil),
                         ("rules", fields.rules != nil)]
            if let field = fixed.first(where: \.1)?.0 {
                throw APIError.conflict("a system context's \(field) cannot change: copy it into a custom context", details: ["field": .string(field)])
            }
        }
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                UPDATE call_contexts SET name = coalesce(?, name), description = coalesce(?, description), template = coalesce(?, template),
                  priority = coalesce(?, priority), enabled = coalesce(?, enabled), rules = coalesce(?, rules), updated_at = ?
                WHERE workspace_id = ? AND id = ?
                """, fields.name, fields.description, fields.template, fields.priority, fields.enabled.map { $0 ? 1 : 0 }, fields.rules?.json.jsonText, now,
                scope.workspaceID, current.id)
            try WorkspaceEvents.record(tx, [(scope, "call_context.updated", ["context_id": .string(current.id)])], at: now)
        }
        return try await get(scope, id: current.id)!
    }

    /// Removes a custom context; a system one is a 409 (turn it off instead).
    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        guard let current = try await get(scope, id: id) else { return false }
        guard current.kind == "custom" else { throw APIError.conflict("a system context cannot be deleted: set enabled to false", details: ["field": "id"]) }
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM call_contexts WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "call_context.deleted", ["context_id": .string(id)])], at: now)
            return true
        }
    }

    /// The enabled context whose rules hold for `call`, by priority (custom before system when equal).
    func match(_ scope: TenantScope, followingUp call: Call?) async throws -> CallContext? {
        let nowMs = clock.milliseconds
        return try await list(scope).first { $0.enabled && $0.contextRules.matches(call, nowMs: nowMs) }
    }

    func workspaceName(_ scope: TenantScope) async throws -> String? {
        try await database.prepare("SELECT name FROM workspaces WHERE id = ?").bind(scope.workspaceID).first()?.text("name")
    }
}

import OzziRuntime

/// All SQL about widgets. The identity secret is made here, sealed before it is written, and handed back
/// once; the public key is what the widget worker finds a widget by.
struct WidgetStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let sealingKey: [UInt8]

    private static let select = "SELECT \(Widget.columns) FROM widgets"

    /// A new widget and its identity secret (the only time it is answered).
    func create(_ scope: TenantScope, name: String, origins: [WidgetOrigin], appearance: WidgetAppearance) async throws -> (Widget, secret: String) {
        let id = ResourceID.make("wgt")
        let secret = Self.newSecret()
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO widgets (id, workspace_id, name, public_key, allowed_origins, appearance, identity_secret_sealed, secret_rotated_at,
                  enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                """, id, scope.workspaceID, name, Self.newPublicKey(), Self.json(origins), Self.json(appearance), self.seal(secret), now, now, now)
            try WorkspaceEvents.record(tx, [(scope, "widget.created", ["widget_id": .string(id)])], at: now)
        }
        return (try await get(scope, id: id)!, secret)
    }

    func get(_ scope: TenantScope, id: String) async throws -> Widget? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(Widget.self)
    }

    func list(_ scope: TenantScope, page: PageRequest) async throws -> [Widget] {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(Widget.self)
    }

    /// The widget a script tag names, in whichever workspace: the widget worker's lookup.
    func byPublicKey(_ key: String) async throws -> Widget? {
        try await database.prepare(Self.select + " WHERE public_key = ?").bind(key).first(Widget.self)
    }

    /// Changes what is given; nil when the workspace has no such widget.
    func update(_ scope: TenantScope, id: String, name: String?, origins: [WidgetOrigin]?, appearance: WidgetAppearance?,
                enabled: Bool?) async throws -> Widget? {
        let now = Timestamp.now(clock)
        let changed = try await database.transaction { tx -> Bool in
            guard try tx.run("""
                UPDATE widgets SET name = coalesce(?, name), allowed_origins = coalesce(?, allowed_origins), appearance = coalesce(?, appearance),
                  enabled = coalesce(?, enabled), updated_at = ? WHERE workspace_id = ? AND id = ?
                """, name, origins.map(Self.json), appearance.map(Self.json), enabled.map { $0 ? 1 : 0 }, now, scope.workspaceID, id).changes == 1
            else { return false }
            try WorkspaceEvents.record(tx, [(scope, "widget.updated", ["widget_id": .string(id)])], at: now)
            return true
        }
        return changed ? try await get(scope, id: id) : nil
    }

    /// A new identity secret, which alone verifies `identify` signatures from now on.
    func rotateSecret(_ scope: TenantScope, id: String) async throws -> (Widget, secret: String)? {
        let secret = Self.newSecret()
        let now = Timestamp.now(clock)
        let rotated = try await database.transaction { tx -> Bool in
            guard try tx.run("""
                UPDATE widgets SET identity_secret_sealed = ?, secret_rotated_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ?
                """, self.seal(secret), now, now, scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "widget.secret_rotated", ["widget_id": .string(id)])], at: now)
            return true
        }
        guard rotated, let widget = try await get(scope, id: id) else { return nil }
        return (widget, secret)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            guard try tx.run("DELETE FROM widgets WHERE workspace_id = ? AND id = ?", scope.workspaceID, id).changes == 1 else { return false }
            try WorkspaceEvents.record(tx, [(scope, "widget.deleted", ["widget_id": .string(id)])], at: now)
            return true
        }
    }

    /// The identity secret of a widget, for checking a signature with it.
    func identitySecret(_ widget: Widget) -> String? {
        CredentialKey.open(widget.identitySecretSealed, key: sealingKey)
    }

    private func seal(_ secret: String) -> String {
        CredentialKey.seal(secret, key: sealingKey)!
    }

    /// 256 random bits, prefixed so a leaked one is recognised for what it is.
    private static func newSecret() -> String {
        "wsec_" + Base64URL.encode(Crypto.randomBytes(32))
    }

    /// 120 random bits in the ids' base-32 alphabet: public (it sits in every embedding page), not guessable.
    static func newPublicKey() -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
        return "wpk_" + String(decoding: Crypto.randomBytes(24).map { alphabet[Int($0 & 31)] }, as: UTF8.self)
    }

    private static func json(_ origins: [WidgetOrigin]) -> String {
        String(decoding: JSONValue.array(origins.map { .string($0.description) }).jsonBytes, as: UTF8.self)
    }

    private static func json(_ appearance: WidgetAppearance) -> String {
        String(decoding: appearance.json.jsonBytes, as: UTF8.self)
    }
}

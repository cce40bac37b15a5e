import OzziRuntime

/// All SQL about widget visitors. A visitor's token is 256 random bits handed to the iframe once; only its
/// SHA-256 is kept, so the table does not hold what would let anyone act as a visitor.
struct WidgetVisitorStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    private static let select = "SELECT \(WidgetVisitor.columns) FROM widget_visitors"

    /// A new session for a visitor of `widget`, identified at once when `identity` was verified.
    func create(_ widget: Widget, identity: WidgetIdentity?) async throws -> (WidgetVisitor, token: String) {
        let id = ResourceID.make("vis")
        let token = "wvt_" + Base64URL.encode(Crypto.randomBytes(32))
        let now = Timestamp.now(clock)
        let scope = TenantScope(workspaceID: widget.workspaceID)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO widget_visitors (id, workspace_id, widget_id, token_hash, created_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)
                """, id, widget.workspaceID, widget.id, Crypto.sha256Hex(token), now, now)
            if let identity { try Self.link(tx, scope, visitorID: id, identity, now: now) }
        }
        return (try await get(id: id)!, token)
    }

    /// The visitor whose iframe holds `token`, while their widget is enabled: disabling (or deleting) a
    /// widget ends its visitors' chats too, not only its loader.
    func byToken(_ token: String) async throws -> WidgetVisitor? {
        guard token.hasPrefix("wvt_"), token.utf8.count <= 64 else { return nil }
        return try await database.prepare("""
            SELECT \(WidgetVisitor.selection) FROM widget_visitors v JOIN widgets w ON w.id = v.widget_id AND w.workspace_id = v.workspace_id
            WHERE v.token_hash = ? AND w.enabled = 1
            """).bind(Crypto.sha256Hex(token)).first(WidgetVisitor.self)
    }

    func get(id: String) async throws -> WidgetVisitor? {
        try await database.prepare(Self.select + " WHERE id = ?").bind(id).first(WidgetVisitor.self)
    }

    /// A verified identity names the visitor: their contact (by the signed email, made when the workspace has
    /// none) is linked to them and to their conversation.
    func identify(_ visitor: WidgetVisitor, _ identity: WidgetIdentity) async throws -> WidgetVisitor {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in try Self.link(tx, visitor.scope, visitorID: visitor.id, identity, now: now) }
        return try await get(id: visitor.id)!
    }

    /// The visitor left an email address in the chat, unsigned: it is kept on the visitor, and it becomes a
    /// contact linked to them only when the workspace has no contact with that address — an address
    /// typed in a chat box never attaches anyone to an existing contact (and its history).
    func leaveEmail(_ visitor: WidgetVisitor, _ email: String) async throws {
        let now = Timestamp.now(clock)
        let scope = visitor.scope
        try await database.transaction { tx in
            var contactID = visitor.contact_id
            if contactID == nil, try tx.execute("SELECT 1 FROM contacts WHERE workspace_id = ? AND email = ?",
                                                [.text(scope.workspaceID), .text(email)]).rows.isEmpty {
                let id = ResourceID.make("con")
                var input = ContactInput()
                input.name = visitor.name ?? ""
                input.email = .some(email)
                input.source = "widget"
                input.notes = "Email address typed into the chat widget, not verified."
                try ContactStore.insert(tx, scope, id: id, input, now: now)
                try WorkspaceEvents.record(tx, [(scope, "contact.created", ["contact_id": .string(id)])], at: now)
                contactID = id
            }
            try tx.run("UPDATE widget_visitors SET email = ?, contact_id = coalesce(contact_id, ?), seen_at = ? WHERE id = ?",
                       email, contactID, now, visitor.id)
            if let contactID {
                try tx.run("UPDATE conversations SET contact_id = ?, updated_at = ? WHERE visitor_id = ? AND contact_id IS NULL", contactID, now, visitor.id)
            }
        }
    }

    private static func link(_ tx: SQLTransaction, _ scope: TenantScope, visitorID: String, _ identity: WidgetIdentity, now: String) throws {
        var contactID: String?
        if let given = identity.email, let email = try? EmailAddress.normalize(given) {
            contactID = try tx.execute("SELECT id FROM contacts WHERE workspace_id = ? AND email = ?", [.text(scope.workspaceID), .text(email)])
                .rows.first?.text("id")
            if contactID == nil {
                let id = ResourceID.make("con")
                var input = ContactInput()
                input.name = identity.name ?? ""
                input.email = .some(email)
                input.source = "widget"
                try ContactStore.insert(tx, scope, id: id, input, now: now)
                try WorkspaceEvents.record(tx, [(scope, "contact.created", ["contact_id": .string(id)])], at: now)
                contactID = id
            }
        }
        try tx.run("""
            UPDATE widget_visitors SET external_user_id = ?, name = coalesce(?, name), email = coalesce(?, email), contact_id = coalesce(?, contact_id), seen_at = ?
            WHERE id = ?
            """, identity.userID, identity.name, identity.email, contactID, now, visitorID)
        if let contactID {
            try tx.run("UPDATE conversations SET contact_id = ?, updated_at = ? WHERE visitor_id = ? AND contact_id IS NULL", contactID, now, visitorID)
        }
    }
}

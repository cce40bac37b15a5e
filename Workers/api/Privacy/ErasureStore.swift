import OzziRuntime

/// Erasure requests: made by a portal user (one pending per contact), listed for the workspace, and
/// completed by it — the contact's data erased (`Erasure`) in the same transaction that closes the request.
struct ErasureStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    /// Where erased calls' recordings are kept (FILES).
    let bucket: (any Bucket)?

    private static let select = "SELECT \(ErasureRequest.selection) FROM erasure_requests"

    /// The contact's pending request, made now unless one is pending already.
    func request(_ scope: TenantScope, contactID: String, email: String, portalUserID: String?) async throws -> ErasureRequest {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let made = try tx.run("""
                INSERT INTO erasure_requests (id, workspace_id, contact_id, email, portal_user_id, status, requested_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (workspace_id, contact_id) WHERE status = 'pending' DO NOTHING
                """, ResourceID.make("era"), scope.workspaceID, contactID, email, portalUserID, now).changes == 1
            // Completed by the workspace between the two statements: the person may ask again.
            guard let request = try tx.first(ErasureRequest.self, Self.select + " WHERE workspace_id = ? AND contact_id = ? AND status = 'pending'",
                                             scope.workspaceID, contactID) else {
                throw APIError.conflict("the erasure request was completed while this ran; ask again if anything is left")
            }
            if made {
                try WorkspaceEvents.record(tx, [(scope, "erasure_request.created", ["erasure_request_id": .string(request.id),
                                                                                    "contact_id": .string(contactID)])], at: now)
            }
            return request
        }
    }

    func get(_ scope: TenantScope, id: String) async throws -> ErasureRequest? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).first(ErasureRequest.self)
    }

    /// The contact's latest request, for the portal.
    func latest(_ scope: TenantScope, contactID: String) async throws -> ErasureRequest? {
        try await database.prepare(Self.select + " WHERE workspace_id = ? AND contact_id = ? ORDER BY requested_at DESC, id DESC LIMIT 1")
            .bind(scope.workspaceID, contactID).first(ErasureRequest.self)
    }

    func list(_ scope: TenantScope, status: String?, page: PageRequest) async throws -> [ErasureRequest] {
        guard let status else {
            return try await database.prepare(Self.select + " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?")
                .bind(scope.workspaceID, page.after ?? "", page.limit + 1).all(ErasureRequest.self)
        }
        return try await database.prepare(Self.select + " WHERE workspace_id = ? AND status = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(scope.workspaceID, status, page.after ?? "", page.limit + 1).all(ErasureRequest.self)
    }

    enum Completed {
        case completed(ErasureRequest)
        case notFound
        case alreadyCompleted
    }

    /// Erases the contact and closes the request, in one transaction: a crash leaves it pending and whole.
    func complete(_ scope: TenantScope, id: String, by userID: String) async throws -> Completed {
        let now = Timestamp.now(clock)
        let (completed, objects) = try await database.transaction { tx -> (Completed, [String]) in
            var objects: [String] = []
            guard let request = try tx.first(ErasureRequest.self, Self.select + " WHERE workspace_id = ? AND id = ?", scope.workspaceID, id) else {
                return (.notFound, [])
            }
            guard request.status == "pending" else { return (.alreadyCompleted, []) }
            let contact = try tx.all("SELECT phone, email FROM contacts WHERE workspace_id = ? AND id = ?", scope.workspaceID, request.contact_id).first
            let erased = try Erasure.erase(tx, scope, contactID: request.contact_id, phone: contact?.text("phone"),
                                           email: contact?.text("email") ?? request.email, objects: &objects)
            let summary = JSONValue.object(erased.mapValues { .number(Double($0)) })
            try tx.run("""
                UPDATE erasure_requests SET status = 'completed', completed_at = ?, completed_by = ?, email = ?, erased = ? WHERE id = ?
                """, now, userID, "sha256:" + Crypto.sha256Hex(request.email.lowercased()), String(decoding: summary.jsonBytes, as: UTF8.self), id)
            var events: [(TenantScope, String, JSONValue)] = [(scope, "erasure_request.completed", ["erasure_request_id": .string(id),
                                                                                                    "contact_id": .string(request.contact_id)])]
            if erased["contacts", default: 0] > 0 { events.append((scope, "contact.deleted", ["contact_id": .string(request.contact_id)])) }
            try WorkspaceEvents.record(tx, events, at: now)
            guard let completed = try tx.first(ErasureRequest.self, Self.select + " WHERE id = ?", id) else { return (.notFound, objects) }
            return (.completed(completed), objects)
        }
        // The recordings' audio, once their rows are gone for good.
        if !objects.isEmpty { try await bucket?.delete(objects) }
        return completed
    }
}

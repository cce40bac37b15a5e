import OzziRuntime

/// All SQL of outgoing webhooks; secrets sealed under the credentials key.
struct WebhookStore: Sendable {
    let database: any SQLDatabase
    let key: [UInt8]
    let clock: any WallClock

    private static let columns = WebhookEndpoint.selection

    func create(_ scope: TenantScope, url: String, eventTypes: [String], description: String) async throws -> WebhookEndpoint {
        let id = ResourceID.make("whe"), secret = WebhookSignature.newSecret(), now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO webhook_endpoints (id, workspace_id, url, event_types, secret_sealed, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(id, scope.workspaceID, url, SQLList.json(eventTypes), Base64.encode(SealedBox.seal(Array(secret.utf8), key: key)),
                      description, now, now).run()
        var endpoint = try await get(scope, id: id)!
        endpoint.secret = secret
        return endpoint
    }

    func get(_ scope: TenantScope, id: String) async throws -> WebhookEndpoint? {
        try await database.prepare("SELECT \(Self.columns) FROM webhook_endpoints WHERE workspace_id = ? AND id = ?")
            .bind(scope.workspaceID, id).first(WebhookEndpoint.self)
    }

    /// A page of the workspace's endpoints, oldest first (keyset on created_at, id).
    func list(_ scope: TenantScope, page: PageRequest) async throws -> [WebhookEndpoint] {
        let after = page.afterKeyAndID
        return try await database.prepare("""
            SELECT \(Self.columns) FROM webhook_endpoints WHERE workspace_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
            ORDER BY created_at, id LIMIT ?
            """).bind(scope.workspaceID, after.key, after.key, after.id, page.limit + 1).all(WebhookEndpoint.self)
    }

    /// Active endpoints of each workspace, for fanning events out.
    func active(workspaces: [String]) async throws -> [String: [WebhookEndpoint]] {
        let rows = try await database.prepare("""
            SELECT workspace_id, \(Self.columns) FROM webhook_endpoints WHERE active = 1 AND workspace_id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(SQLList.json(workspaces)).all(Scoped<WebhookEndpoint>.self)
        return Dictionary(grouping: rows, by: \.scope.workspaceID).mapValues { $0.map(\.record) }
    }

    func update(_ scope: TenantScope, id: String, url: String?, eventTypes: [String]?, description: String?, active: Bool?) async throws -> WebhookEndpoint? {
        try await database.prepare("""
            UPDATE webhook_endpoints SET url = COALESCE(?, url), event_types = COALESCE(?, event_types), description = COALESCE(?, description),
              active = COALESCE(?, active), disabled_reason = CASE WHEN ? = 1 THEN NULL ELSE disabled_reason END,
              consecutive_failures = CASE WHEN ? = 1 THEN 0 ELSE consecutive_failures END, updated_at = ?
            WHERE workspace_id = ? AND id = ?
            """).bind(url, eventTypes.map(SQLList.json), description, active.map { $0 ? 1 : 0 }, active == true ? 1 : 0, active == true ? 1 : 0,
                      Timestamp.now(clock), scope.workspaceID, id).run()
        return try await get(scope, id: id)
    }

    func delete(_ scope: TenantScope, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM webhook_endpoints WHERE workspace_id = ? AND id = ?").bind(scope.workspaceID, id).run().changes == 1
    }

    func deliveries(_ scope: TenantScope, endpointID: String, limit: Int) async throws -> [WebhookDelivery] {
        try await database.prepare("""
            SELECT \(WebhookDelivery.selection(from: "d")) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE e.workspace_id = ? AND d.endpoint_id = ? ORDER BY d.created_at DESC, d.id DESC LIMIT ?
            """).bind(scope.workspaceID, endpointID, limit).all(WebhookDelivery.self)
    }

    // MARK: - The dispatcher's side

    /// New pending deliveries (endpoint, event) in one statement; returns those still to be queued: new, or
    /// recorded before but never attempted (an id is derived from the event and the endpoint, so seeing an
    /// event again after a crash adds no second delivery; at worst its job is queued twice, and receivers
    /// dedupe on `webhook-id`).
    func enqueue(_ items: [(endpointID: String, event: WorkspaceEvent)]) async throws -> [String] {
        let now = Timestamp.now(clock)
        let rows = items.map { item -> JSONValue in
            let id = "whd_" + Crypto.hex(Crypto.sha256(Array("\(item.event.id) \(item.endpointID)".utf8))).prefix(26)
            return ["id": .string(id), "endpoint_id": .string(item.endpointID), "event_id": .string(item.event.id),
                    "event_type": .string(item.event.type), "payload": .string(String(decoding: item.event.json.jsonBytes, as: UTF8.self))]
        }
        let list = SQLList.json(rows)
        return try await database.transaction { tx in
            // (`WHERE true`: SQLite would read the upsert's ON as a join constraint of the SELECT.)
            try tx.run("""
                INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, created_at, updated_at)
                SELECT value ->> 'id', value ->> 'endpoint_id', value ->> 'event_id', value ->> 'event_type', value ->> 'payload', 'pending', ?, ?
                FROM \(tx.dialect.records()) WHERE true ON CONFLICT (id) DO NOTHING
                """, now, now, list)
            return try tx.all("""
                SELECT id FROM webhook_deliveries WHERE id IN (SELECT value ->> 'id' FROM \(tx.dialect.records())) AND status = 'pending' AND attempts = 0
                """, list).compactMap { $0.text("id") }
        }
    }

    /// A pending delivery with its endpoint's URL, secret and state.
    struct Pending: Sendable {
        let id: String
        let endpointID: String
        let url: String
        let secret: String
        let endpointActive: Bool
        let payload: String
        let attempts: Int
    }

    func pending(_ id: String) async throws -> Pending? {
        guard let row = try await database.prepare("""
            SELECT d.id, d.endpoint_id, d.payload, d.attempts, e.url, e.secret_sealed, e.active
            FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ? AND d.status = 'pending'
            """).bind(id).first(SealedPending.self) else { return nil }
        let secret = Base64.decode(row.secret_sealed).flatMap { SealedBox.open($0, key: key) }.map { String(decoding: $0, as: UTF8.self) }
        return Pending(id: row.id, endpointID: row.endpoint_id, url: row.url, secret: secret ?? "", endpointActive: row.active,
                       payload: row.payload, attempts: row.attempts)
    }

    /// A pending delivery as stored, its endpoint's secret still sealed.
    private struct SealedPending: Decodable, SQLRecord {
        let id: String
        let endpoint_id: String
        let payload: String
        let attempts: Int
        let url: String
        let secret_sealed: String
        let active: Bool

        enum CodingKeys: String, SQLColumn { case id, endpoint_id, payload, attempts, url, secret_sealed, active }
        typealias Columns = CodingKeys
    }

    /// Records an attempt. `final` failures count against the endpoint, which is disabled after
    /// `disableAfter` in a row; a success resets the count.
    func recordAttempt(_ delivery: Pending, status: String, responseStatus: Int?, error: String?, disableAfter: Int) async throws {
        let now = Timestamp.now(clock)
        try await database.transaction { tx in
            try tx.run("UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, response_status = ?, error = ?, updated_at = ? WHERE id = ?",
                       status, responseStatus, error, now, delivery.id)
            switch status {
            case "succeeded":
                try tx.run("UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ?", delivery.endpointID)
            case "failed":
                try tx.run("""
                    UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
                      active = CASE WHEN consecutive_failures + 1 >= ? THEN 0 ELSE active END,
                      disabled_reason = CASE WHEN consecutive_failures + 1 >= ? THEN ? ELSE disabled_reason END, updated_at = ?
                    WHERE id = ?
                    """, disableAfter, disableAfter, "disabled after \(disableAfter) deliveries failed in a row", now, delivery.endpointID)
            default:
                break
            }
        }
    }
}

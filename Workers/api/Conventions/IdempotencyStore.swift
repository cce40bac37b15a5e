import OzziRuntime

/// `Idempotency-Key` on creating POSTs, as Stripe does it: the first answer is stored for 24 hours and
/// replayed for the same key; the same key with a different request body is a 409.
struct IdempotencyStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    func run(key: String, principal: Principal, request: Request, _ body: () async throws -> Response) async throws -> Response {
        guard (1...255).contains(key.utf8.count) else { throw APIError.badRequest("Idempotency-Key must be 1-255 characters", code: "invalid_header") }
        let scope = principal.workspace.id + "/" + (principal.apiKeyID ?? principal.userID)
        let fingerprint = Crypto.sha256Hex(request.method + " " + request.path + "\n" + request.text)
        if let stored = try await database.prepare("SELECT \(Stored.selection) FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at > ?")
            .bind(scope, key, Timestamp.after(seconds: -86_400, clock)).first(Stored.self) {
            guard stored.request_hash == fingerprint else {
                throw APIError.conflict("this Idempotency-Key was used with a different request")
            }
            return Response.bytes(stored.body, status: stored.status, contentType: "application/json")
                .adding(header: "idempotent-replayed", "true")
        }
        let response = try await body()
        if response.status < 500 {
            try await database.prepare("""
                INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
                  body = excluded.body, created_at = excluded.created_at
                """).bind(scope, key, fingerprint, response.status, response.bodyBytes, Timestamp.now(clock)).run()
        }
        return response
    }

    /// The first answer to a key, and the request it answered.
    private struct Stored: Decodable, SQLRecord {
        let request_hash: String
        let status: Int
        let body: [UInt8]

        enum CodingKeys: String, SQLColumn { case request_hash, status, body }
        typealias Columns = CodingKeys
    }

    func sweep() async throws -> Int {
        try await database.prepare("DELETE FROM idempotency_keys WHERE created_at <= ?").bind(Timestamp.after(seconds: -86_400, clock)).run().changes
    }
}

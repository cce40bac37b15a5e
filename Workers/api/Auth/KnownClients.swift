import OzziRuntime

/// Clients that have signed in to an account before. Every sign-in sets a signed, HttpOnly cookie,
/// `ozzi_client=<id>.<HMAC of the id>` (a year, sent to the API's and the console's sign-in alike), and records the id's hash
/// for that account. The signature turns away forged ids without a query; the record makes a cookie
/// prove a past sign-in to that account and nothing more. API clients keep the cookie like any other.
struct KnownClients: Sendable {
    let database: any SQLDatabase
    /// Signs cookie ids.
    let key: [UInt8]
    let clock: any WallClock

    static let cookie = "ozzi_client"
    static let cookieSeconds: Int64 = 365 * 86_400
    /// Kept per account, the most recently seen first: a script without a cookie jar mints one per sign-in.
    static let perAccount = 20

    /// The id a request's cookie carries, when the signature is ours.
    func id(in request: Request) -> String? {
        guard let value = Cookies.value(Self.cookie, in: request) else { return nil }
        let parts = value.split(separator: ".")
        guard parts.count == 2, Crypto.constantTimeEquals(Array(signature(parts[0]).utf8), Array(parts[1].utf8)) else { return nil }
        return String(parts[0])
    }

    /// Who is signing in to `userID` (nil: no such account) with cookie id `id`: known when that id has
    /// signed in to it before, else the client is its network.
    func client(_ id: String?, userID: String?, network: String) async throws -> SignInGuard.Client {
        guard let id, let userID else { return .unknown(network: network) }
        let row = try await database.prepare("SELECT 1 AS known FROM known_clients WHERE user_id = ? AND client_hash = ?")
            .bind(userID, Crypto.sha256Hex(id)).first()
        return row == nil ? .unknown(network: network) : .known(id: id)
    }

    /// Records a sign-in to `userID` and sets the cookie on `response` (a new id when the client had none).
    func remember(_ request: Request, userID: String, on response: inout Response) async throws {
        let id = id(in: request) ?? Crypto.token(bytes: 16)
        let now = Timestamp.now(clock)
        let hash = Crypto.sha256Hex(id)
        try await database.transaction { tx in
            try tx.run("""
                INSERT INTO known_clients (user_id, client_hash, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, client_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, userID, hash, now, now)
            try tx.run("""
                DELETE FROM known_clients WHERE user_id = ? AND client_hash <> ? AND client_hash NOT IN
                  (SELECT client_hash FROM known_clients WHERE user_id = ? AND client_hash <> ? ORDER BY last_seen_at DESC, client_hash LIMIT ?)
                """, userID, hash, userID, hash, Self.perAccount - 1)
        }
        response.headers.add("set-cookie", "\(Self.cookie)=\(id).\(signature(id)); Path=/; Max-Age=\(Self.cookieSeconds); HttpOnly; Secure; SameSite=Strict")
    }

    private func signature(_ id: some StringProtocol) -> String {
        Base64URL.encode(Crypto.hmacSHA256(key: key, Array("ozzi-client:\(id)".utf8)))
    }
}

import OzziRuntime

/// `OzziOsWidget.identify(user)` as the customer's server vouched for it: the user's id, email and an
/// expiry, signed with the widget's identity secret —
/// `signature = hex(HMAC-SHA256(identity_secret, "v1\n" + user_id + "\n" + email + "\n" + expires_at))`
/// (email empty when not given; expires_at in Unix seconds). The email is signed too: it is what links a
/// visitor to a contact, so an attacker who holds one signature cannot point it at someone else's address.
/// The expiry (at most a day ahead) bounds how long a captured signature can be replayed.
struct WidgetIdentity: Equatable, Sendable {
    let userID: String
    let email: String?
    let name: String?
    let expiresAt: Int64
    let signature: String

    static let maxLifetimeSeconds: Int64 = 86_400

    enum Refusal: Error, Equatable {
        case malformed(String)
        case expired
        case tooLong
        case badSignature

        var message: String {
            switch self {
            case .malformed(let why): "the identity is malformed: \(why)"
            case .expired: "the identity has expired (expires_at is in the past)"
            case .tooLong: "expires_at is more than a day ahead"
            case .badSignature: "the identity's signature does not verify with the widget's identity secret"
            }
        }
    }

    /// Reads an identity object; what is wrong with its shape is a refusal, not an error of the request.
    static func read(_ value: JSONValue) -> Result<WidgetIdentity, Refusal> {
        guard let fields = value.objectValue else { return .failure(.malformed("not an object")) }
        guard let userID = fields["user_id"]?.stringValue, !userID.isEmpty, userID.utf8.count <= 200 else {
            return .failure(.malformed("user_id must be 1-200 characters"))
        }
        let email = fields["email"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let name = fields["name"]?.stringValue.map { String($0.prefix(200)) }
        guard let expires = fields["expires_at"]?.numberValue, expires == expires.rounded(), abs(expires) < 1e15 else {
            return .failure(.malformed("expires_at must be Unix seconds"))
        }
        guard let signature = fields["signature"]?.stringValue, signature.utf8.count == 64 else {
            return .failure(.malformed("signature must be 64 hex digits"))
        }
        if userID.contains("\n") || (email?.contains("\n") ?? false) { return .failure(.malformed("user_id and email are single lines")) }
        return .success(WidgetIdentity(userID: userID, email: email, name: name, expiresAt: Int64(expires), signature: signature.lowercased()))
    }

    /// Checks expiry and signature against `secret` at `now` (Unix seconds).
    func verify(secret: String, now: Int64) -> Result<WidgetIdentity, Refusal> {
        guard expiresAt > now else { return .failure(.expired) }
        guard expiresAt <= now + Self.maxLifetimeSeconds else { return .failure(.tooLong) }
        let expected = Self.sign(secret: secret, userID: userID, email: email, expiresAt: expiresAt)
        guard Crypto.constantTimeEquals(Array(expected.utf8), Array(signature.utf8)) else { return .failure(.badSignature) }
        return .success(self)
    }

    static func sign(secret: String, userID: String, email: String?, expiresAt: Int64) -> String {
        let message = "v1\n\(userID)\n\(email ?? "")\n\(expiresAt)"
        return Crypto.hex(Crypto.hmacSHA256(key: Array(secret.utf8), Array(message.utf8)))
    }
}

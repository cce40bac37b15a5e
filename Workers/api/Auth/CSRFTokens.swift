import OzziRuntime

/// The token a browser session sends back with every change it asks for: a console form's hidden `_csrf`
/// field, or `X-CSRF-Token` on an API call made with the session cookie. It is an HMAC of the session's id
/// under a key derived from the host's sealing key: nothing is stored, it dies with the session, and another
/// site cannot know it, since it cannot read our pages. (A bearer token or API key needs none: a browser
/// never attaches those by itself.)
struct CSRFTokens: Sendable {
    let key: [UInt8]

    static let header = "x-csrf-token"
    static let field = "_csrf"

    init(sealingKey: [UInt8]) {
        key = CredentialKey.derive(sealingKey, for: "csrf")
    }

    func token(sessionID: String) -> String {
        Base64URL.encode(Crypto.hmacSHA256(key: key, Array(("session:" + sessionID).utf8)))
    }

    func accepts(_ presented: String?, sessionID: String) -> Bool {
        guard let presented, !presented.isEmpty else { return false }
        return Crypto.constantTimeEquals(Array(presented.utf8), Array(token(sessionID: sessionID).utf8))
    }

    /// Methods that change nothing need no token.
    static func isSafe(_ method: String) -> Bool {
        method == "GET" || method == "HEAD" || method == "OPTIONS"
    }
}

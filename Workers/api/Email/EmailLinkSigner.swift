import OzziRuntime

/// Signs the links an email carries for its one recipient (unsubscribe, open pixel, click redirect), so a
/// link is checked by its signature alone: no table of issued links, and nobody can make one up or turn
/// one into another (each kind is a field of what is signed).
///
/// A token is `base64url(fields joined by "\n").base64url(MAC)`, the MAC a 128-bit HMAC-SHA256 under a key
/// derived from the credentials key; `bound` text (a click's target URL) is covered by the MAC without
/// riding in the token, since it travels beside it.
struct EmailLinkSigner: Sendable {
    private let key: [UInt8]
    static let macBytes = 16

    init(sealingKey: [UInt8]) {
        key = CredentialKey.derive(sealingKey, for: "email links")
    }

    func sign(_ fields: [String], bound: String? = nil) -> String {
        let payload = Array(fields.joined(separator: "\n").utf8)
        precondition(fields.allSatisfy { !$0.utf8.contains(0x0A) }, "a signed field holds a line break")
        return Base64URL.encode(payload) + "." + Base64URL.encode(mac(payload, bound: bound))
    }

    /// The fields of a token this signer made (with the same `bound` text), or nil.
    func verify(_ token: String, bound: String? = nil) -> [String]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let given = Base64URL.decode(String(parts[1])),
              Crypto.constantTimeEquals(given, mac(payload, bound: bound)) else { return nil }
        return String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func mac(_ payload: [UInt8], bound: String?) -> [UInt8] {
        var message = payload
        if let bound {
            // A separator the payload cannot hold keeps (fields, bound) pairs from running into each other.
            message.append(0)
            message += Array(bound.utf8)
        }
        return Array(Crypto.hmacSHA256(key: key, message).prefix(Self.macBytes))
    }
}

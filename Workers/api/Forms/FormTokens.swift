import OzziRuntime

/// Submission tokens: each rendering of a form carries one, `fst_<issued ms>.<nonce>.<mac>`, an HMAC over
/// the form's key, the time it was shown and a nonce. Nothing is written when one is issued (a form shown
/// a million times costs no rows); a submission stores the token's hash under a unique index, so a token
/// is spent once — a double click or a replay creates nothing — and the time inside it, which no visitor
/// can change, says how long the form was open (the minimum fill time).
struct FormTokens: Sendable {
    let key: [UInt8]
    /// How long a shown form may wait before it is sent.
    static let lifetimeMs: Int64 = 24 * 3_600_000

    func issue(publicKey: String, nowMs: Int64) -> String {
        let nonce = Base64URL.encode(Crypto.randomBytes(12))
        return "fst_\(nowMs).\(nonce)." + mac(publicKey: publicKey, issued: String(nowMs), nonce: nonce)
    }

    /// When the token was issued for this form, or nil when it is not one of ours for it.
    func issued(_ token: String, publicKey: String) -> Int64? {
        guard token.utf8.count <= 100, token.hasPrefix("fst_") else { return nil }
        // Split as bytes (by Character, the split cost as much as the MAC).
        let parts = token.utf8.dropFirst(4).split(separator: UInt8(ascii: "."), maxSplits: 2, omittingEmptySubsequences: false)
        let issuedText = String(decoding: parts[0], as: UTF8.self)
        guard parts.count == 3, let issued = Int64(issuedText), issued > 0 else { return nil }
        let expected = mac(publicKey: publicKey, issued: issuedText, nonce: String(decoding: parts[1], as: UTF8.self))
        return Crypto.constantTimeEquals(Array(expected.utf8), Array(parts[2])) ? issued : nil
    }

    private func mac(publicKey: String, issued: String, nonce: String) -> String {
        Base64URL.encode(Array(Crypto.hmacSHA256(key: key, Array("\(publicKey)|\(issued)|\(nonce)".utf8)).prefix(18)))
    }
}

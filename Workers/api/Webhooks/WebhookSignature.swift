import OzziRuntime

/// Svix-style signing: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key being the
/// base64 after `whsec_`. Receivers verify with any Svix or Standard Webhooks library.
enum WebhookSignature {
    static func newSecret() -> String {
        "whsec_" + Base64.encode(Crypto.randomBytes(24))
    }

    static func sign(secret: String, id: String, timestamp: Int64, body: [UInt8]) -> String? {
        guard secret.hasPrefix("whsec_"), let key = Base64.decode(String(secret.dropFirst(6))) else { return nil }
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Base64.encode(Crypto.hmacSHA256(key: key, signed))
    }

    /// Checks a `svix-signature` / `webhook-signature` header (space-separated `v1,<sig>` entries) and the
    /// timestamp's freshness (five minutes).
    static func verify(secret: String, id: String, timestamp: Int64, body: [UInt8], header: String, now: Int64) -> Bool {
        guard abs(now - timestamp) <= 300, let expected = sign(secret: secret, id: id, timestamp: timestamp, body: body) else { return false }
        // Split as bytes: splitting the String walks it by Character (grapheme breaking), half of a check's cost.
        let wanted = Array(expected.utf8)
        return header.utf8.split(separator: UInt8(ascii: " ")).contains { Crypto.constantTimeEquals(Array($0), wanted) }
    }
}

import OzziRuntime

/// What lets a browser open one lab conversation's ConversationRelay socket. Twilio signs a socket's
/// upgrade in a header, which a browser's WebSocket cannot send; the ticket rides in the socket's query
/// instead: `<expiry ms>.<MAC>`, an HMAC over the call's id and the expiry under a key of its own, so it opens
/// that call's socket only, until it expires, and nothing is stored to issue one.
struct VoiceLabTicket: Sendable {
    let key: [UInt8]
    /// How long a ticket opens the socket (a reconnect after that needs the page again).
    static let lifetimeMs: Int64 = 3_600_000

    func issue(callID: String, nowMs: Int64) -> (ticket: String, expiresMs: Int64) {
        let expires = nowMs + Self.lifetimeMs
        return ("\(expires)." + mac(callID: callID, expires: String(expires)), expires)
    }

    /// Whether `ticket` opens `callID`'s socket at `nowMs`.
    func opens(_ ticket: String, callID: String, nowMs: Int64) -> Bool {
        guard ticket.utf8.count <= 100 else { return false }
        let parts = ticket.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let expires = Int64(parts[0]), expires > nowMs else { return false }
        return Crypto.constantTimeEquals(Array(mac(callID: callID, expires: String(parts[0])).utf8), Array(parts[1].utf8))
    }

    private func mac(callID: String, expires: String) -> String {
        Base64URL.encode(Array(Crypto.hmacSHA256(key: key, Array("voice-lab|\(callID)|\(expires)".utf8)).prefix(18)))
    }
}

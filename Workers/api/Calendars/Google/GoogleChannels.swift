import OzziRuntime

/// Push channels (`events/watch`): each chosen calendar is watched by one channel whose notifications come
/// to `/api/v1/calendars/google/notifications` carrying a token only we and Google know (kept hashed). A
/// channel is replaced when a quarter of its life is left (at most a day before it expires), the new one
/// made before the old one is stopped, so no change goes unannounced in between.
struct GoogleChannels: Sendable {
    let config: GoogleCalendarConfig
    let access: GoogleAccess
    let connections: GoogleConnectionStore
    let links: GoogleLinkStore
    let clock: any WallClock

    /// Watches the calendar with a new channel, then stops the one it replaces; nothing when another sweep
    /// (or host) is replacing it already.
    func watch(_ link: GoogleCalendarLink) async throws {
        guard config.watches, let connection = try await connections.get(id: link.connectionID), try await links.claimRenewal(link) else { return }
        let channelID = "ozzi-" + Base64URL.encode(Crypto.randomBytes(18))
        let token = Crypto.token()
        let answer = try await access.send(connection, "POST", link.eventsPath + "/watch", body: [
            "id": .string(channelID), "type": "web_hook", "address": .string(config.notificationsURL), "token": .string(token),
        ])
        guard answer.status == 200, let resourceID = answer.json?["resourceId"]?.stringValue,
              let given = answer.json?["expiration"].flatMap({ $0.stringValue.flatMap { Int64($0) } ?? $0.numberValue.flatMap { Int64(exactly: $0.rounded()) } }) else {
            throw GoogleCalendarError.failed(status: answer.status, message: "watch: \(answer.message)")
        }
        // Google's channels last days; whatever it says, within a month.
        let now = clock.milliseconds
        let expires = min(max(given, now), now + 30 * 86_400_000)
        let renew = expires - min(max(0, expires - now) / 4, 86_400_000)
        guard try await links.setChannel(link, id: channelID, resourceID: resourceID, tokenHash: Crypto.sha256Hex(token), expiresMs: expires, renewMs: renew) else {
            // Replaced meanwhile (the claim outlived): ours is the spare one.
            await stop(connection, channelID: channelID, resourceID: resourceID)
            return
        }
        if let old = link.channelID, let oldResource = link.channelResourceID {
            await stop(connection, channelID: old, resourceID: oldResource)
        }
    }

    /// Stops the calendar's channel, if it has one (best effort: an unknown channel is already stopped).
    func stop(_ link: GoogleCalendarLink) async {
        guard let channelID = link.channelID, let resourceID = link.channelResourceID,
              let connection = try? await connections.get(id: link.connectionID) else { return }
        await stop(connection, channelID: channelID, resourceID: resourceID)
        try? await links.clearChannel(link)
    }

    private func stop(_ connection: GoogleConnection, channelID: String, resourceID: String) async {
        _ = try? await access.send(connection, "POST", "/channels/stop", body: ["id": .string(channelID), "resourceId": .string(resourceID)])
    }

    /// Whether a notification's headers name the calendar's live channel with its token.
    static func isGenuine(_ link: GoogleCalendarLink, token: String?) -> Bool {
        guard let expected = link.channelToken, let token else { return false }
        return Crypto.constantTimeEquals(Array(Crypto.sha256Hex(token).utf8), Array(expected.utf8))
    }
}

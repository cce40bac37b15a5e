import OzziRuntime

/// Acts on a one-click unsubscribe: the address goes on the workspace's suppression list (reason
/// `unsubscribe`), its contacts are opted out of email, the email notes the unsubscribe (campaigns count
/// it), and `email.unsubscribed` is recorded — all in one transaction, once however often it is repeated.
struct Unsubscriber: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    enum Outcome: Sendable, Equatable {
        case unsubscribed
        /// Nothing changed: this link was used before, or the address was already suppressed.
        case already
        /// The link's workspace no longer exists.
        case gone
    }

    func unsubscribe(_ recipient: UnsubscribeLinks.Recipient) async throws -> Outcome {
        let now = Timestamp.now(clock)
        let scope = recipient.email.scope
        return try await database.transaction { tx in
            guard try !tx.all("SELECT id FROM workspaces WHERE id = ?", scope.workspaceID).isEmpty else { return .gone }
            let added = try SuppressionStore.add(tx, scope: scope, address: recipient.address, reason: .unsubscribe, messageID: recipient.email.messageID, now: now)
            let marked = try EngagementStore.markUnsubscribed(tx, recipient.email, now: now)
            guard added || marked.first else { return .already }
            var event: [String: JSONValue] = ["address": .string(recipient.address), "message_id": .string(recipient.email.messageID)]
            if let campaignID = marked.campaignID { event["campaign_id"] = .string(campaignID) }
            try WorkspaceEvents.record(tx, [(scope, "email.unsubscribed", .object(event))], at: now)
            return .unsubscribed
        }
    }
}

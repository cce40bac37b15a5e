import OzziRuntime

/// A campaign's numbers, counted from its messages by status and email status (one pass over the
/// `messages_campaign_stats` index), plus those who opted out of the channel after it reached them.
/// - sent: the provider took it (sent, delivered or undelivered); delivered: reported delivered (an email
///   opened, clicked or complained of was delivered);
/// - failed: we could not send it, or the provider reported it undelivered (an email's bounce is counted
///   as `bounced` instead); opened / clicked / complained: the email's furthest status (a click counts as
///   an open);
/// - unsubscribed: recipients whose consent for the channel went to `opted_out` at or after their
///   message was sent, other than by its bounce or complaint (counted as those);
/// - pending: not sent yet (`pending` or `sending`), what `finished` waits for.
struct CampaignStats: Codable, Equatable, Sendable {
    var recipients = 0
    var pending = 0
    var sent = 0
    var delivered = 0
    var failed = 0
    var bounced = 0
    var opened = 0
    var clicked = 0
    var unsubscribed = 0
    var complained = 0
    var canceled = 0
    var review = 0

    /// Counts one (status, email status) group of `n` messages.
    mutating func add(status: MessageStatus, emailStatus: String?, _ n: Int) {
        recipients += n
        switch status {
        case .pending, .sending: pending += n
        case .review: review += n
        case .canceled: canceled += n
        case .failed: failed += n
        case .sent, .delivered, .undelivered: sent += n
        }
        if status == .delivered { delivered += n }
        switch emailStatus {
        case "bounced": bounced += n
        case "opened": opened += n
        case "clicked": opened += n; clicked += n
        case "complained": complained += n
        default: if status == .undelivered { failed += n }
        }
    }

    static func count(_ database: any SQLDatabase, _ campaign: Campaign) async throws -> CampaignStats {
        var stats = CampaignStats()
        for row in try await database.prepare("""
            SELECT status, email_status, count(*) AS n FROM messages WHERE campaign_id = ? GROUP BY status, email_status
            """).bind(campaign.id).all() {
            guard let status = row.text("status").flatMap(MessageStatus.init(rawValue:)) else { continue }
            stats.add(status: status, emailStatus: row.text("email_status"), Int(row.integer("n") ?? 0))
        }
        // From the workspace's opted-out contacts (a partial index holds only them) to their message of this
        // campaign, not from every message to its contact: the runner counts once a second, and a campaign
        // of 100,000 would be 100,000 lookups each time.
        let consent = campaign.channel == .email ? "email_consent" : "sms_consent"
        stats.unsubscribed = Int(try await database.prepare("""
            SELECT count(*) AS n FROM contacts c CROSS JOIN messages m
            WHERE c.workspace_id = ? AND c.\(consent) = 'opted_out' AND m.campaign_id = ? AND m.contact_id = c.id
              AND m.sent_at IS NOT NULL AND c.\(consent)_at >= m.sent_at AND coalesce(m.email_status, '') NOT IN ('bounced', 'complained')
            """).bind(campaign.workspaceID, campaign.id).first()?.integer("n") ?? 0)
        return stats
    }

    /// Sends that count towards auto-pause, as listmonk counts send errors: messages that failed (the
    /// provider refused them, retries ran out, they could not be rendered), not a recipient who opted out
    /// or was suppressed since expansion (the send-time check doing its job), nor later bounces.
    static let failuresSQL = """
        SELECT count(*) AS n FROM messages WHERE campaign_id = ? AND status = 'failed'
          AND coalesce(error_code, '') NOT IN ('opted_out', 'suppressed', 'unsubscribed')
        """

    static func failures(_ database: any SQLDatabase, campaignID: String) async throws -> Int {
        Int(try await database.prepare(failuresSQL).bind(campaignID).first()?.integer("n") ?? 0)
    }
}

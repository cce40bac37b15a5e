import OzziRuntime

/// A community's live changes: written in the change's own transaction with the community's next seq
/// (`record`), published to its sockets after the commit (`publish`), replayed from the table to a socket
/// that reconnects (`events`). Each is also a workspace event (`community.*`), for the workspace's stream
/// and its webhooks.
///
/// Taking the seq updates the community's row, which holds its lock to the commit: on PostgreSQL as on
/// SQLite, a change with a higher seq commits after every lower one, so a reader that has seen seq N and
/// reads "after N" misses nothing.
struct CommunityLive: Sendable {
    let database: any SQLDatabase
    let pubsub: any PubSubBroker
    /// Events are kept a week; a socket that comes back later is told to reload.
    static let retainedMs: Int64 = 7 * 86_400_000
    static let replayLimit = 1000

    static func topic(_ communityID: String) -> String { "community:" + communityID }

    /// Writes one change in `tx` and returns it with its seq.
    /// `about`: the channel a community-wide change concerns (its members changed, it was deleted), so the
    /// workspace's stream keeps a private one's changes from members who are not its admins.
    static func record(_ tx: SQLTransaction, _ community: Community, channel: CommunityChannel?, about: CommunityChannel? = nil, _ type: String,
                       _ data: JSONValue, at: String) throws -> CommunityEvent {
        try recordTaken(tx, community, seq: try nextSeq(tx, community), channel: channel, about: about, type, data, at: at)
    }

    /// The community's next seq, taken in `tx` (a message's id is the seq of its posting).
    static func nextSeq(_ tx: SQLTransaction, _ community: Community) throws -> Int64 {
        guard let seq = try tx.all("UPDATE communities SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq", community.id)
            .first?.integer("last_seq") else { throw APIError.notFound("community") }
        return seq
    }

    /// Writes a change at a seq `nextSeq` took in the same transaction.
    static func recordTaken(_ tx: SQLTransaction, _ community: Community, seq: Int64, channel: CommunityChannel?, about: CommunityChannel? = nil,
                            _ type: String, _ data: JSONValue, at: String) throws -> CommunityEvent {
        let event = CommunityEvent(seq: seq, channelID: channel?.id, type: type, data: data, at: at)
        try tx.run("INSERT INTO community_events (community_id, seq, channel_id, type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   community.id, seq, channel?.id, type, String(decoding: data.jsonBytes, as: UTF8.self), at)
        var published: [String: JSONValue] = ["community_id": .string(community.id), "seq": .number(Double(seq)), "data": data]
        if let channel { published["channel_id"] = .string(channel.id) }
        if let concerned = channel ?? about {
            // The workspace's stream shows a private channel's changes only to the workspace's admins.
            published["private_channel"] = .bool(concerned.isPrivate)
        }
        try WorkspaceEvents.record(tx, [(community.scope, event.workspaceType, .object(published))], at: at)
        return event
    }

    /// Hands committed events to the community's sockets.
    func publish(_ communityID: String, _ events: [CommunityEvent]) async {
        for event in events { _ = try? await pubsub.publish(Self.topic(communityID), event.json) }
    }

    func subscribe(_ communityID: String) async throws -> Subscription {
        try await pubsub.subscribe(Self.topic(communityID))
    }

    /// The events after `after` up to `through` (inclusive) in seq order, at most `limit`; nil when the
    /// community's events from `after` on are no longer all kept (the caller must reload instead).
    func events(_ communityID: String, after: Int64, through: Int64? = nil, limit: Int = replayLimit) async throws -> [CommunityEvent]? {
        if after > 0 {
            // Kept from `after + 1` on when the oldest kept event is at most that (or none was dropped).
            let oldest = try await database.prepare("SELECT min(seq) AS seq FROM community_events WHERE community_id = ?").bind(communityID)
                .first()?.integer("seq")
            if let oldest, oldest > after + 1 { return nil }
        }
        return try await database.prepare("""
            SELECT seq, channel_id, type, data, created_at FROM community_events
            WHERE community_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?
            """).bind(communityID, after, through ?? Int64.max, limit).all(CommunityEvent.self)
    }

    /// Drops events older than a week, leaving each community's latest (so `events` can tell a gap).
    func sweep(nowMs: Int64) async throws {
        try await database.prepare("""
            DELETE FROM community_events WHERE created_at < ?
            AND seq < (SELECT c.last_seq FROM communities c WHERE c.id = community_events.community_id)
            """).bind(Timestamp.at(milliseconds: nowMs - Self.retainedMs)).run()
    }
}

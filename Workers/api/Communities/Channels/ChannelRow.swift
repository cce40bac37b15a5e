import OzziRuntime

/// A channel with the caller's state in it, as one query reads it: whether they are listed in it (a
/// private channel's members), their read position, unread and mention counts, and its latest message.
struct ChannelRow: SQLRecord, Sendable {
    let channel: CommunityChannel
    let listed: Bool
    let lastReadSeq: Int64
    let unread: Int
    let mentions: Int
    let lastMessageSeq: Int64?

    enum Columns: String, SQLColumn { case listed, last_read_seq, unread, mentions, last_message_seq }

    init(row: SQLRecordRow<Columns>) throws {
        channel = try row.record(CommunityChannel.self)
        listed = try row.decode(Int.self, forKey: .listed) != 0
        lastReadSeq = try row.decode(Int64.self, forKey: .last_read_seq)
        unread = try row.decode(Int.self, forKey: .unread)
        mentions = try row.decode(Int.self, forKey: .mentions)
        lastMessageSeq = try row.decodeIfPresent(Int64.self, forKey: .last_message_seq)
    }

    /// Channels of community `?` (and, with `one`, only channel `?`) for user `?` (bound four times, then
    /// the community, then the channel).
    static func select(one: Bool) -> String {
        """
        SELECT \(CommunityChannel.selection(from: "ch")),
          CASE WHEN cm.user_id IS NULL THEN 0 ELSE 1 END AS listed,
          coalesce(r.last_read_seq, 0) AS last_read_seq,
          (SELECT count(*) FROM community_messages m WHERE m.channel_id = ch.id AND m.thread_seq IS NULL AND m.deleted_at IS NULL
             AND m.seq > coalesce(r.last_read_seq, 0) AND m.author_id <> ?) AS unread,
          (SELECT count(*) FROM community_mentions x WHERE x.community_id = ch.community_id AND x.user_id = ? AND x.channel_id = ch.id
             AND x.seq > coalesce(r.last_read_seq, 0)) AS mentions,
          (SELECT max(m.seq) FROM community_messages m WHERE m.channel_id = ch.id AND m.thread_seq IS NULL AND m.deleted_at IS NULL) AS last_message_seq
        FROM community_channels ch
        LEFT JOIN community_channel_members cm ON cm.channel_id = ch.id AND cm.user_id = ?
        LEFT JOIN community_reads r ON r.channel_id = ch.id AND r.user_id = ?
        WHERE ch.community_id = ?\(one ? " AND ch.id = ?" : "") ORDER BY ch.name
        """
    }

    func view(_ access: CommunityAccess) -> ChannelView {
        let overridesJSON = (try? JSONValue(jsonBytes: Array(channel.overrides.utf8))) ?? .object([:])
        return ChannelView(id: channel.id, community_id: channel.community_id, name: channel.name, topic: channel.topic, private: channel.isPrivate,
                           overrides: overridesJSON, review: channel.review,
                           my_permissions: CommunityPermission.allCases.filter { access.permissions(in: channel).contains($0) }.map(\.rawValue),
                           my_posts_reviewed: access.postsReviewed(in: channel),
                           unread_count: unread, mention_count: mentions, last_read_id: lastReadSeq, last_message_id: lastMessageSeq,
                           created_at: channel.created_at, updated_at: channel.updated_at)
    }
}

import OzziRuntime

/// All SQL about a channel's messages: reading around an anchor, posting (with mentions and threads),
/// editing inside the window with the old text kept, deleting, reacting. Each change takes the
/// community's next seq and is published to its sockets after the commit.
struct CommunityMessageStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    /// Where a page of a channel starts.
    enum Anchor: Sendable {
        case latest
        case before(Int64)
        case after(Int64)
        /// Up to half the page before the id, the id itself, and the rest after: a jump to a message.
        case around(Int64)
    }

    /// A channel's top-level messages in id order (oldest first), a page at `anchor`.
    func list(_ access: CommunityAccess, _ channel: CommunityChannel, at anchor: Anchor, limit: Int) async throws -> [CommunityMessage] {
        let top = CommunityMessage.select + " AND m.channel_id = ? AND m.thread_seq IS NULL"
        var rows: [CommunityMessage]
        switch anchor {
        case .latest:
            rows = try await page(top + " ORDER BY m.seq DESC LIMIT ?", access, channel.id, limit).reversed()
        case .before(let id):
            rows = try await page(top + " AND m.seq < ? ORDER BY m.seq DESC LIMIT ?", access, channel.id, id, limit).reversed()
        case .after(let id):
            rows = try await page(top + " AND m.seq > ? ORDER BY m.seq LIMIT ?", access, channel.id, id, limit)
        case .around(let id):
            let before = try await page(top + " AND m.seq < ? ORDER BY m.seq DESC LIMIT ?", access, channel.id, id, limit / 2).reversed()
            let rest = try await page(top + " AND m.seq >= ? ORDER BY m.seq LIMIT ?", access, channel.id, id, limit - before.count)
            rows = Array(before) + rest
        }
        return try await withReactions(rows, access)
    }

    /// The replies in thread `root`, oldest first, after `after`.
    func thread(_ access: CommunityAccess, root: Int64, after: Int64, limit: Int) async throws -> [CommunityMessage] {
        let rows = try await page(CommunityMessage.select + " AND m.thread_seq = ? AND m.seq > ? ORDER BY m.seq LIMIT ?", access, root, after, limit)
        return try await withReactions(rows, access)
    }

    func get(_ access: CommunityAccess, _ channel: CommunityChannel, id: Int64) async throws -> CommunityMessage? {
        guard let message = try await database.prepare(CommunityMessage.select + " AND m.channel_id = ? AND m.seq = ?")
            .bind(access.community.id, channel.id, id).first(CommunityMessage.self) else { return nil }
        return try await withReactions([message], access).first
    }

    private func page(_ sql: String, _ access: CommunityAccess, _ values: any SQLBindable...) async throws -> [CommunityMessage] {
        try await database.prepare(sql).bind([access.community.id as any SQLBindable] + values).all(CommunityMessage.self)
    }

    /// Fills in each message's reaction counts (with whether the reader reacted) and its files.
    private func withReactions(_ messages: [CommunityMessage], _ access: CommunityAccess) async throws -> [CommunityMessage] {
        guard !messages.isEmpty else { return messages }
        let rows = try await database.prepare("""
            SELECT seq, emoji, count(*) AS n, max(CASE WHEN user_id = ? THEN 1 ELSE 0 END) AS me, min(created_at) AS first_at
            FROM community_reactions WHERE community_id = ? AND seq IN (SELECT CAST(value AS BIGINT) FROM \(database.dialect.elements()))
            GROUP BY seq, emoji ORDER BY seq, first_at, emoji
            """).bind(access.userID, access.community.id, SQLList.json(messages.map { JSONValue.number(Double($0.id)) })).all()
        var bySeq: [Int64: [ReactionCount]] = [:]
        for row in rows {
            guard let seq = row.integer("seq"), let emoji = row.text("emoji") else { continue }
            bySeq[seq, default: []].append(ReactionCount(emoji: emoji, count: Int(row.integer("n") ?? 0), me: row.integer("me") == 1))
        }
        let files = try await CommunityFileStore.files(database, communityID: access.community.id, messages: messages.map(\.id))
        return messages.map { message in
            var message = message
            message.reactions = bySeq[message.id] ?? []
            message.files = files[message.id] ?? []
            return message
        }
    }

    /// Posts `body` (in thread `threadID` when given); mentions of members who cannot see the channel are dropped.
    func post(_ access: CommunityAccess, _ channel: CommunityChannel, body: String, threadID: Int64?, fileIDs: [String]) async throws -> CommunityMessage {
        let now = Timestamp.now(clock)
        let (event, message) = try await database.transaction { tx in
            try Self.write(tx, access.community, channel, author: access.userID, body: body, threadID: threadID, fileIDs: fileIDs, at: now)
        }
        await live.publish(access.community.id, [event])
        return message
    }

    /// Writes a message in `tx` at the community's next seq, with its mentions, its thread's count and its
    /// author's point, and `fileIDs` (the author's uploads; held with `submission` for an approval) attached;
    /// `readsOwn` moves the author's read position to it (posting reads one's own, but a
    /// held post approved later must not mark what came meanwhile as read).
    static func write(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, author: String, body: String, threadID: Int64?,
                      fileIDs: [String] = [], submission: String? = nil, readsOwn: Bool = true, at now: String) throws -> (CommunityEvent, CommunityMessage) {
        if let threadID { try requireThreadRoot(tx, community, channel, threadID) }
        let mentions = try visibleMembers(tx, community, channel, MessageMentions.ids(in: body))
        let seq = try CommunityLive.nextSeq(tx, community)
        try tx.run("""
            INSERT INTO community_messages (community_id, seq, channel_id, thread_seq, author_id, body, mentions, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, community.id, seq, channel.id, threadID, author, body, SQLList.json(mentions), now)
        if !mentions.isEmpty {
            try tx.insert(into: "community_mentions", columns: ["community_id", "user_id", "channel_id", "seq"],
                          rows: mentions.map { [.text(community.id), .text($0), .text(channel.id), .integer(seq)] })
        }
        if let threadID {
            try tx.run("UPDATE community_messages SET reply_count = reply_count + 1, last_reply_at = ? WHERE community_id = ? AND seq = ?",
                       now, community.id, threadID)
        }
        if readsOwn, threadID == nil {
            try tx.run("""
                INSERT INTO community_reads (channel_id, user_id, last_read_seq) VALUES (?, ?, ?)
                ON CONFLICT (channel_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq
                WHERE community_reads.last_read_seq < excluded.last_read_seq
                """, channel.id, author, seq)
        }
        try Reputation.award(tx, communityID: community.id, userID: author, Reputation.post)
        // As answered and as published: a message just posted has no reactions yet.
        var message = try tx.first(CommunityMessage.self, CommunityMessage.select + " AND m.seq = ?", community.id, seq)!
        message.files = try CommunityFileStore.attach(tx, community, channel, author: author, ids: fileIDs, seq: seq, submission: submission)
        return (try CommunityLive.recordTaken(tx, community, seq: seq, channel: channel, "message.created", message.json, at: now), message)
    }

    /// 409 unless `threadID` is a live top-level message of `channel` (a reply goes to its thread's first message).
    static func requireThreadRoot(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, _ threadID: Int64) throws {
        guard let root = try tx.all("SELECT thread_seq, deleted_at FROM community_messages WHERE community_id = ? AND seq = ? AND channel_id = ?",
                                    community.id, threadID, channel.id).first, root["deleted_at"] == .null else {
            throw APIError.conflict("message \(threadID) is not a message of this channel", details: .object(["field": "thread_id"]))
        }
        guard root["thread_seq"] == .null else {
            throw APIError.conflict("message \(threadID) is a reply; reply to its thread's first message", details: .object(["field": "thread_id"]))
        }
    }

    /// The members among `ids` who may see `channel` (a private channel's listed members and the
    /// community's admins and owner, who manage channels by default).
    static func visibleMembers(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, _ ids: [String]) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let rows = try tx.all("""
            SELECT m.user_id, m.role, CASE WHEN cm.user_id IS NULL THEN 0 ELSE 1 END AS listed FROM community_members m
            LEFT JOIN community_channel_members cm ON cm.channel_id = ? AND cm.user_id = m.user_id
            WHERE m.community_id = ? AND m.user_id IN (SELECT value FROM \(tx.dialect.elements()))
            """, channel.id, community.id, SQLList.json(ids))
        var allowed = Set<String>()
        for row in rows {
            guard let id = row.text("user_id"), let role = row.text("role").flatMap(CommunityRole.init(rawValue:)) else { continue }
            let roles = community.roles
            if !channel.isPrivate || row.integer("listed") == 1 || roles.permissions(of: role).contains(.manage_channels) { allowed.insert(id) }
        }
        return ids.filter(allowed.contains)
    }

    /// Replaces the text of the caller's own message, inside the community's edit window; the old text is kept.
    func edit(_ access: CommunityAccess, _ channel: CommunityChannel, id: Int64, body: String) async throws -> CommunityMessage? {
        guard let message = try await get(access, channel, id: id) else { return nil }
        guard message.author_id == access.userID else { throw APIError.forbidden("only its author can edit a message") }
        let postedMs = RFC3339.milliseconds(message.created_at) ?? 0
        let windowMs = Int64(access.community.edit_window_seconds) * 1000
        guard clock.milliseconds - postedMs <= windowMs else {
            throw APIError.conflict("messages can be edited for \(access.community.edit_window_seconds) seconds after posting", details: .object(["state": "edit_window_closed"]))
        }
        guard message.body != body else { return message }
        let now = Timestamp.now(clock)
        let asked = MessageMentions.ids(in: body)
        let event = try await database.transaction { tx -> CommunityEvent? in
            guard try tx.run("""
                INSERT INTO community_message_edits (community_id, seq, body, replaced_at)
                SELECT community_id, seq, body, ? FROM community_messages WHERE community_id = ? AND seq = ? AND deleted_at IS NULL
                """, now, access.community.id, id).changes == 1 else { return nil }
            let mentions = try Self.visibleMembers(tx, access.community, channel, asked)
            try tx.run("UPDATE community_messages SET body = ?, mentions = ?, edited_at = ? WHERE community_id = ? AND seq = ?",
                       body, SQLList.json(mentions), now, access.community.id, id)
            try tx.run("DELETE FROM community_mentions WHERE community_id = ? AND seq = ?", access.community.id, id)
            if !mentions.isEmpty {
                try tx.insert(into: "community_mentions", columns: ["community_id", "user_id", "channel_id", "seq"],
                              rows: mentions.map { [.text(access.community.id), .text($0), .text(channel.id), .integer(id)] })
            }
            let edited = try tx.first(CommunityMessage.self, CommunityMessage.select + " AND m.seq = ?", access.community.id, id)!
            return try CommunityLive.record(tx, access.community, channel: channel, "message.edited", edited.json, at: now)
        }
        guard let event else { return nil }
        await live.publish(access.community.id, [event])
        return try await get(access, channel, id: id)
    }

    /// The message's earlier texts, newest first.
    func history(_ access: CommunityAccess, id: Int64) async throws -> [MessageEdit] {
        try await database.prepare("SELECT body, replaced_at FROM community_message_edits WHERE community_id = ? AND seq = ? ORDER BY replaced_at DESC")
            .bind(access.community.id, id).all(MessageEdit.self)
    }

    /// Deletes a message: its author may; so may a moderator who outranks the author. Its text, history,
    /// reactions and mentions go; the row stays as a tombstone for its thread.
    func delete(_ access: CommunityAccess, _ channel: CommunityChannel, id: Int64, reason: String) async throws -> Bool {
        guard let message = try await get(access, channel, id: id) else { return false }
        let byAuthor = message.author_id == access.userID
        if !byAuthor {
            try access.require(.moderate, in: channel, to: "delete others' messages")
            let authorRole = try await database.prepare("SELECT role FROM community_members WHERE community_id = ? AND user_id = ?")
                .bind(access.community.id, message.author_id).first()?.text("role").flatMap(CommunityRole.init(rawValue:))
            if let authorRole { try access.requireOutranks(authorRole, to: "delete the message of") }
        }
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent? in
            let event = try Self.erase(tx, access.community, channel, message, at: now)
            if event != nil, !byAuthor {
                try CommunityAudit.record(tx, access, action: "message_deleted", targetUser: message.author_id, targetMessage: id,
                                          targetChannel: channel.id, reason: reason, at: now)
            }
            return event
        }
        guard let event else { return false }
        await live.publish(access.community.id, [event])
        return true
    }

    /// Deletes `message` in `tx`: its text, history, reactions and mentions go, and the points it was worth
    /// to its author; the row stays as a tombstone for its thread. Nil when it was deleted already.
    static func erase(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, _ message: CommunityMessage,
                      at now: String) throws -> CommunityEvent? {
        let id = message.id
        let worth = try Reputation.worth(tx, communityID: community.id, seq: id, author: message.author_id)
        guard try tx.run("UPDATE community_messages SET deleted_at = ?, body = '', mentions = '[]' WHERE community_id = ? AND seq = ? AND deleted_at IS NULL",
                         now, community.id, id).changes == 1 else { return nil }
        try tx.run("DELETE FROM community_message_edits WHERE community_id = ? AND seq = ?", community.id, id)
        try tx.run("DELETE FROM community_reactions WHERE community_id = ? AND seq = ?", community.id, id)
        try tx.run("DELETE FROM community_mentions WHERE community_id = ? AND seq = ?", community.id, id)
        // Its files' rows go now (nobody can fetch them from here on); their objects with the garbage.
        try tx.run("DELETE FROM community_files WHERE community_id = ? AND message_seq = ?", community.id, id)
        if let root = message.thread_id {
            try tx.run("UPDATE community_messages SET reply_count = reply_count - 1 WHERE community_id = ? AND seq = ? AND reply_count > 0",
                       community.id, root)
        }
        try Reputation.award(tx, communityID: community.id, userID: message.author_id, -worth)
        return try CommunityLive.record(tx, community, channel: channel, "message.deleted",
                                        ["id": .number(Double(id)), "thread_id": message.thread_id.map { .number(Double($0)) } ?? .null], at: now)
    }

    /// Adds (or takes back) the caller's `emoji` on a message; returns the message with its counts.
    func react(_ access: CommunityAccess, _ channel: CommunityChannel, id: Int64, emoji: String, adding: Bool) async throws -> CommunityMessage? {
        guard let message = try await get(access, channel, id: id) else { return nil }
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx -> CommunityEvent? in
            let changed = adding
                ? try tx.run("INSERT INTO community_reactions (community_id, seq, user_id, emoji, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             access.community.id, id, access.userID, emoji, now).changes
                : try tx.run("DELETE FROM community_reactions WHERE community_id = ? AND seq = ? AND user_id = ? AND emoji = ?",
                             access.community.id, id, access.userID, emoji).changes
            guard changed == 1 else { return nil }
            if message.author_id != access.userID {
                try Reputation.award(tx, communityID: access.community.id, userID: message.author_id, adding ? Reputation.reactionReceived : -Reputation.reactionReceived)
            }
            let count = try tx.all("SELECT count(*) AS n FROM community_reactions WHERE community_id = ? AND seq = ? AND emoji = ?",
                                   access.community.id, id, emoji).first?.integer("n") ?? 0
            return try CommunityLive.record(tx, access.community, channel: channel, adding ? "reaction.added" : "reaction.removed",
                                            ["message_id": .number(Double(id)), "emoji": .string(emoji), "user_id": .string(access.userID),
                                             "count": .number(Double(count))], at: now)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return try await get(access, channel, id: id)
    }
}

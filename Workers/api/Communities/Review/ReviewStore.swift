import OzziRuntime

/// All SQL about a community's review queue: posts held for approval and flagged messages, and their
/// decisions. A decision, what it causes (the post published, the flagged message deleted), the points it
/// earns and its audit entry commit together.
struct ReviewStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    /// Holds a post for approval.
    func submit(_ access: CommunityAccess, _ channel: CommunityChannel, body: String, threadID: Int64?, fileIDs: [String]) async throws -> Submission {
        let id = ResourceID.make("csub")
        let now = Timestamp.now(clock)
        let (submission, event) = try await database.transaction { tx in
            if let threadID { try CommunityMessageStore.requireThreadRoot(tx, access.community, channel, threadID) }
            try tx.run("""
                INSERT INTO community_submissions (id, community_id, channel_id, kind, status, submitted_by, body, thread_seq, file_ids, created_at)
                VALUES (?, ?, ?, 'post', 'pending', ?, ?, ?, ?, ?)
                """, id, access.community.id, channel.id, access.userID, body, threadID, SQLList.json(fileIDs), now)
            try CommunityFileStore.hold(tx, access, channel, ids: fileIDs, submission: id)
            return try Self.announce(tx, access.community, channel, "submission.created", id: id, at: now)
        }
        await live.publish(access.community.id, [event])
        return submission
    }

    /// Flags `message` for the moderators; flagging it again while one's flag is pending changes nothing.
    func flag(_ access: CommunityAccess, _ channel: CommunityChannel, _ message: CommunityMessage, note: String) async throws -> Submission {
        guard message.author_id != access.userID else {
            throw APIError.conflict("you cannot flag your own message (delete or edit it instead)", details: .object(["state": "own_message"]))
        }
        let id = ResourceID.make("csub")
        let now = Timestamp.now(clock)
        let (submission, event) = try await database.transaction { tx -> (Submission, CommunityEvent?) in
            guard try tx.run("""
                INSERT INTO community_submissions (id, community_id, channel_id, kind, status, submitted_by, body, message_seq, note, created_at)
                VALUES (?, ?, ?, 'flag', 'pending', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, id, access.community.id, channel.id, access.userID, message.body, message.id, note, now).changes == 1 else {
                return (try tx.first(Submission.self, Submission.select + """
                     WHERE community_id = ? AND kind = 'flag' AND message_seq = ? AND submitted_by = ? AND status = 'pending'
                    """, access.community.id, message.id, access.userID)!, nil)
            }
            let (submission, event) = try Self.announce(tx, access.community, channel, "submission.created", id: id, at: now)
            return (submission, event)
        }
        if let event { await live.publish(access.community.id, [event]) }
        return submission
    }

    /// The queue as the caller may see it: everything in the channels they moderate (and can see), and
    /// their own submissions anywhere; by id (oldest first).
    func list(_ access: CommunityAccess, moderated: [String], status: String?, kind: String?, channelID: String?, page: PageRequest) async throws -> [Submission] {
        try await database.prepare(Submission.select + """
             WHERE community_id = ? AND (submitted_by = ? OR channel_id IN (SELECT value FROM \(database.dialect.elements())))
             AND status = coalesce(?, status) AND kind = coalesce(?, kind) AND channel_id = coalesce(?, channel_id) AND id > ?
             ORDER BY id LIMIT ?
            """).bind(access.community.id, access.userID, SQLList.json(moderated), status, kind, channelID, page.after ?? "", page.limit + 1)
            .all(Submission.self)
    }

    func get(_ access: CommunityAccess, id: String) async throws -> Submission? {
        try await database.prepare(Submission.select + " WHERE community_id = ? AND id = ?").bind(access.community.id, id).first(Submission.self)
    }

    /// Decides a pending submission. Approving a post publishes it as its author's message; approving a flag
    /// upholds every pending flag on that message and deletes it; rejecting a flag clears them all (the
    /// message stands). Each approved submission is worth points to whoever submitted it.
    func decide(_ access: CommunityAccess, _ submission: Submission, _ channel: CommunityChannel, approve: Bool, reason: String) async throws -> Submission {
        let now = Timestamp.now(clock)
        let status = approve ? "approved" : "rejected"
        let events = try await database.transaction { tx -> [CommunityEvent] in
            let decided: [String]
            if submission.kind == "flag", let seq = submission.message_id {
                decided = try tx.all("""
                    UPDATE community_submissions SET status = ?, reason = ?, decided_by = ?, decided_at = ?
                    WHERE community_id = ? AND kind = 'flag' AND message_seq = ? AND status = 'pending' RETURNING submitted_by
                    """, status, reason, access.userID, now, access.community.id, seq).compactMap { $0.text("submitted_by") }
            } else {
                decided = try tx.all("""
                    UPDATE community_submissions SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'
                    RETURNING submitted_by
                    """, status, reason, access.userID, now, submission.id).compactMap { $0.text("submitted_by") }
            }
            guard !decided.isEmpty else {
                throw APIError.conflict("the submission was \(submission.status == "pending" ? "decided meanwhile" : submission.status + " already")",
                                       details: .object(["state": .string(submission.status)]))
            }
            var events: [CommunityEvent] = []
            var messageID = submission.message_id
            // A rejected post's files go with it.
            if !approve, submission.kind == "post" { try tx.run("DELETE FROM community_files WHERE submission_id = ?", submission.id) }
            if approve {
                for user in decided { try Reputation.award(tx, communityID: access.community.id, userID: user, Reputation.approvedSubmission) }
                if submission.kind == "post" {
                    let (event, message) = try CommunityMessageStore.write(tx, access.community, channel, author: submission.submitted_by,
                                                                           body: submission.body ?? "", threadID: submission.thread_id,
                                                                           fileIDs: submission.file_ids, submission: submission.id, readsOwn: false, at: now)
                    try tx.run("UPDATE community_submissions SET message_seq = ? WHERE id = ?", message.id, submission.id)
                    messageID = message.id
                    events.append(event)
                } else if let seq = submission.message_id,
                          let message = try tx.first(CommunityMessage.self, CommunityMessage.select + " AND m.seq = ?", access.community.id, seq),
                          let event = try CommunityMessageStore.erase(tx, access.community, channel, message, at: now) {
                    try CommunityAudit.record(tx, access, action: "message_deleted", targetUser: message.author_id, targetMessage: seq,
                                              targetChannel: channel.id, reason: reason, at: now)
                    events.append(event)
                }
            }
            try CommunityAudit.record(tx, access, action: approve ? "submission_approved" : "submission_rejected", targetUser: submission.submitted_by,
                                      targetMessage: messageID, targetChannel: channel.id, reason: reason,
                                      details: ["submission_id": .string(submission.id), "kind": .string(submission.kind), "decided": .number(Double(decided.count))],
                                      at: now)
            return events + [try Self.announce(tx, access.community, channel, "submission.decided", id: submission.id, at: now).1]
        }
        await live.publish(access.community.id, events)
        return try await get(access, id: submission.id)!
    }

    /// Reads the submission back and records the change: on the community's sockets only for the channel's
    /// moderators and the submitter (`CommunitySocket`), on the workspace's stream a private channel's only
    /// for its admins; never with the text.
    private static func announce(_ tx: SQLTransaction, _ community: Community, _ channel: CommunityChannel, _ type: String, id: String,
                                 at now: String) throws -> (Submission, CommunityEvent) {
        let submission = try tx.first(Submission.self, Submission.select + " WHERE id = ?", id)!
        return (submission, try CommunityLive.record(tx, community, channel: channel, type, submission.eventData, at: now))
    }
}

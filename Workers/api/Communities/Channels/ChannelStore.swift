import OzziRuntime

/// All SQL about a community's channels: which the caller sees (a private channel only its listed
/// members and those who manage channels), their unread counts, and changes to them.
struct ChannelStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock
    let live: CommunityLive

    /// The channels the caller may see, by name, each with their unread state.
    func list(_ access: CommunityAccess) async throws -> [ChannelRow] {
        let me = access.userID
        return try await database.prepare(ChannelRow.select(one: false)).bind(me, me, me, me, access.community.id).all(ChannelRow.self)
            .filter { access.canSee($0.channel, listed: $0.listed) }
    }

    /// The channels of `accesses`' communities each caller may see, without counts (what search and live
    /// sockets need to know, in one query).
    func visible(_ accesses: [CommunityAccess]) async throws -> [CommunityChannel] {
        guard let me = accesses.first?.userID else { return [] }
        let byCommunity = Dictionary(accesses.map { ($0.community.id, $0) }) { a, _ in a }
        let rows = try await database.prepare("""
            SELECT \(CommunityChannel.selection(from: "ch")), CASE WHEN cm.user_id IS NULL THEN 0 ELSE 1 END AS listed FROM community_channels ch
            LEFT JOIN community_channel_members cm ON cm.channel_id = ch.id AND cm.user_id = ?
            WHERE ch.community_id IN (SELECT value FROM \(database.dialect.elements())) ORDER BY ch.community_id, ch.name
            """).bind(me, SQLList.json(Array(byCommunity.keys))).all(ListedChannel.self)
        return rows.filter { byCommunity[$0.channel.community_id]?.canSee($0.channel, listed: $0.listed) == true }.map(\.channel)
    }

    /// Channel `id`, or nil when it is not the community's or the caller may not see it.
    func get(_ access: CommunityAccess, id: String) async throws -> ChannelRow? {
        let me = access.userID
        guard let row = try await database.prepare(ChannelRow.select(one: true)).bind(me, me, me, me, access.community.id, id).first(ChannelRow.self),
              access.canSee(row.channel, listed: row.listed) else { return nil }
        return row
    }

    func create(_ access: CommunityAccess, _ input: ChannelInput) async throws -> ChannelRow {
        let id = ResourceID.make("chn")
        let now = Timestamp.now(clock)
        let event: CommunityEvent
        do {
            event = try await database.transaction { tx in
                try tx.run("""
                    INSERT INTO community_channels (id, community_id, name, topic, private, overrides, review, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, id, access.community.id, input.name ?? "", input.topic ?? "", input.isPrivate == true ? 1 : 0, input.overridesJSON ?? "{}",
                    input.review ?? "none", now, now)
                let channel = CommunityChannel(id: id, community_id: access.community.id, name: input.name ?? "", topic: input.topic ?? "",
                                               private: input.isPrivate == true ? 1 : 0, overrides: input.overridesJSON ?? "{}",
                                               review: input.review ?? "none", created_at: now, updated_at: now)
                if let members = input.memberIDs, !members.isEmpty { try Self.addMembers(tx, access, channelID: id, userIDs: members, at: now) }
                try CommunityAudit.record(tx, access, action: "channel_created", targetChannel: id, at: now)
                return try CommunityLive.record(tx, access.community, channel: channel, "channel.created", ["channel_id": .string(id), "name": .string(channel.name)], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a channel named '\(input.name ?? "")' already exists", details: .object(["field": "name"]))
        }
        await live.publish(access.community.id, [event])
        return try await get(access, id: id)!
    }

    func update(_ access: CommunityAccess, _ channel: CommunityChannel, _ input: ChannelInput) async throws -> ChannelRow? {
        let now = Timestamp.now(clock)
        let event: CommunityEvent
        do {
            event = try await database.transaction { tx in
                try tx.run("""
                    UPDATE community_channels SET name = coalesce(?, name), topic = coalesce(?, topic), private = coalesce(?, private),
                    overrides = coalesce(?, overrides), review = coalesce(?, review), updated_at = ? WHERE id = ?
                    """, input.name, input.topic, input.isPrivate.map { $0 ? 1 : 0 }, input.overridesJSON, input.review, now, channel.id)
                try CommunityAudit.record(tx, access, action: "channel_updated", targetChannel: channel.id, at: now)
                return try CommunityLive.record(tx, access.community, channel: channel, "channel.updated", ["channel_id": .string(channel.id)], at: now)
            }
        } catch let error as SQLError where error.isUniqueViolation {
            throw APIError.conflict("a channel named '\(input.name ?? "")' already exists", details: .object(["field": "name"]))
        }
        await live.publish(access.community.id, [event])
        return try await get(access, id: channel.id)
    }

    func delete(_ access: CommunityAccess, _ channel: CommunityChannel) async throws {
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx in
            try tx.run("DELETE FROM community_channels WHERE id = ?", channel.id)
            // Its messages went with it, and the points they were worth.
            try Reputation.recompute(tx, communityID: access.community.id)
            try CommunityAudit.record(tx, access, action: "channel_deleted", targetChannel: channel.id, details: ["name": .string(channel.name)], at: now)
            // Recorded as the community's, not the channel's (which is gone): every socket learns it.
            return try CommunityLive.record(tx, access.community, channel: nil, about: channel, "channel.deleted", ["channel_id": .string(channel.id)], at: now)
        }
        await live.publish(access.community.id, [event])
    }

    /// Lists community members in a private channel (or takes them out); returns the channel's members.
    func changeMembers(_ access: CommunityAccess, _ channel: CommunityChannel, add: [String], remove: [String]) async throws -> [String] {
        let now = Timestamp.now(clock)
        let event = try await database.transaction { tx in
            try Self.addMembers(tx, access, channelID: channel.id, userIDs: add, at: now)
            if !remove.isEmpty {
                try tx.run("DELETE FROM community_channel_members WHERE channel_id = ? AND user_id IN (SELECT value FROM \(tx.dialect.elements()))",
                           channel.id, SQLList.json(remove))
            }
            try CommunityAudit.record(tx, access, action: "channel_members_changed", targetChannel: channel.id,
                                      details: ["added": .array(add.map(JSONValue.string)), "removed": .array(remove.map(JSONValue.string))], at: now)
            // The community's: a socket of someone just added must learn of the channel it can now see.
            return try CommunityLive.record(tx, access.community, channel: nil, about: channel, "channel.members_changed",
                                            ["channel_id": .string(channel.id), "added": .array(add.map(JSONValue.string)), "removed": .array(remove.map(JSONValue.string))], at: now)
        }
        await live.publish(access.community.id, [event])
        return try await members(channel)
    }

    func members(_ channel: CommunityChannel) async throws -> [String] {
        try await database.prepare("SELECT user_id FROM community_channel_members WHERE channel_id = ? ORDER BY user_id").bind(channel.id).all()
            .compactMap { $0.text("user_id") }
    }

    /// Adds community members only: an id that is not one is refused by name.
    static func addMembers(_ tx: SQLTransaction, _ access: CommunityAccess, channelID: String, userIDs: [String], at now: String) throws {
        guard !userIDs.isEmpty else { return }
        let found = Set(try tx.all("""
            SELECT user_id FROM community_members WHERE community_id = ? AND user_id IN (SELECT value FROM \(tx.dialect.elements()))
            """, access.community.id, SQLList.json(userIDs)).compactMap { $0.text("user_id") })
        if let stranger = userIDs.first(where: { !found.contains($0) }) {
            throw APIError.conflict("\(stranger) is not a member of this community", details: .object(["field": "member_ids"]))
        }
        try tx.insert(into: "community_channel_members", columns: ["channel_id", "user_id", "added_at"],
                      rows: Set(userIDs).sorted().map { [.text(channelID), .text($0), .text(now)] }, suffix: "ON CONFLICT DO NOTHING")
    }

    /// Moves the caller's read position in `channel` forward to `seq` (never back, never past its latest).
    func markRead(_ access: CommunityAccess, _ channel: CommunityChannel, upTo seq: Int64) async throws {
        try await database.prepare("""
            INSERT INTO community_reads (channel_id, user_id, last_read_seq) VALUES (?, ?, ?)
            ON CONFLICT (channel_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq
            WHERE community_reads.last_read_seq < excluded.last_read_seq
            """).bind(channel.id, access.userID, min(seq, access.community.last_seq)).run()
    }
}

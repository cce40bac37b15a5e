import OzziRuntime

/// One live change in a community, numbered by the community's seq: what sockets receive, and what one
/// that reconnects is replayed.
struct CommunityEvent: Sendable, SQLRecord {
    let seq: Int64
    /// The channel it happened in; nil for the whole community's (members, roles, the community itself).
    let channelID: String?
    let type: String
    let data: JSONValue
    let at: String

    enum Columns: String, SQLColumn { case seq, channel_id, type, data, created_at }

    init(seq: Int64, channelID: String?, type: String, data: JSONValue, at: String) {
        self.seq = seq
        self.channelID = channelID
        self.type = type
        self.data = data
        self.at = at
    }

    init(row: SQLRecordRow<Columns>) throws {
        seq = try row.decode(Int64.self, forKey: .seq)
        channelID = try row.decodeIfPresent(String.self, forKey: .channel_id)
        type = try row.decode(String.self, forKey: .type)
        data = try row.decode(JSONValue.self, forKey: .data)
        at = try row.decode(String.self, forKey: .created_at)
    }

    /// As a socket sends it.
    var json: JSONValue {
        ["type": "event", "seq": .number(Double(seq)), "event": .string(type), "channel_id": channelID.map(JSONValue.string) ?? .null,
         "created_at": .string(at), "data": data]
    }

    /// Its type on the workspace's stream and to webhooks: `message.created` is `community.message_created`.
    var workspaceType: String { Self.workspaceType(type) }

    static func workspaceType(_ type: String) -> String {
        "community." + type.split(separator: ".").joined(separator: "_")
    }

    /// Every type, as the domain publishes them.
    static let types = [
        "message.created", "message.edited", "message.deleted", "reaction.added", "reaction.removed",
        "channel.created", "channel.updated", "channel.deleted", "channel.members_changed",
        "member.joined", "member.left", "member.removed", "member.role_changed", "member.timed_out", "member.timeout_ended",
        "member.banned", "member.unbanned", "community.updated", "roles.updated", "levels.updated",
        "submission.created", "submission.decided",
    ]
}

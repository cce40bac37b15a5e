import OzziRuntime

/// A channel of a community: public to every member who may view, or private to its listed members.
struct CommunityChannel: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let community_id: String
    let name: String
    let topic: String
    let `private`: Int
    /// Stored JSON `{role: {permission: true|false}}`.
    let overrides: String
    /// Whose posts wait for a moderator's approval: `none`, `new_members` (level 0) or `everyone` below moderator.
    let review: String
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn { case id, community_id, name, topic, `private`, overrides, review, created_at, updated_at }
    typealias Columns = CodingKeys

    var isPrivate: Bool { `private` != 0 }

    static let reviewModes = ["none", "new_members", "everyone"]

    /// The permissions this channel grants (true) or takes away (false) from `role`.
    func overrides(for role: CommunityRole) -> [(CommunityPermission, Bool)] {
        guard let value = try? JSONValue(jsonBytes: Array(overrides.utf8)), let set = value[role.rawValue]?.objectValue else { return [] }
        return set.compactMap { name, allowed in
            guard let permission = CommunityPermission(rawValue: name), let allowed = allowed.boolValue else { return nil }
            return (permission, allowed)
        }.sorted { $0.0.rawValue < $1.0.rawValue }
    }
}

/// A channel as a member sees it: with their unread count and mentions, and its latest message id.
struct ChannelView: Encodable, Sendable {
    let id: String
    let community_id: String
    let name: String
    let topic: String
    let `private`: Bool
    let overrides: JSONValue
    let review: String
    /// The caller's permissions here.
    let my_permissions: [String]
    /// Whether the caller's posts here wait for approval (submit them to the channel's submissions).
    let my_posts_reviewed: Bool
    let unread_count: Int
    let mention_count: Int
    let last_read_id: Int64
    let last_message_id: Int64?
    let created_at: String
    let updated_at: String
}

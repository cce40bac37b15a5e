import OzziRuntime

/// A channel and whether the caller is listed in it (a private channel's members).
struct ListedChannel: SQLRecord, Sendable {
    let channel: CommunityChannel
    let listed: Bool

    enum Columns: String, SQLColumn { case id, community_id, name, topic, `private`, overrides, created_at, updated_at, listed }

    init(row: SQLRecordRow<Columns>) throws {
        channel = CommunityChannel(
            id: try row.decode(String.self, forKey: .id), community_id: try row.decode(String.self, forKey: .community_id),
            name: try row.decode(String.self, forKey: .name), topic: try row.decode(String.self, forKey: .topic),
            private: try row.decode(Int.self, forKey: .private), overrides: try row.decode(String.self, forKey: .overrides),
            created_at: try row.decode(String.self, forKey: .created_at), updated_at: try row.decode(String.self, forKey: .updated_at))
        listed = try row.decode(Int.self, forKey: .listed) != 0
    }
}

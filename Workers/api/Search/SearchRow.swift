import OzziRuntime

/// One hit as every type's query reads it: the same columns whatever the type, so one decoder and one
/// merge serve them all.
struct SearchRow: SQLRecord, Sendable {
    let id: String
    let communityID: String?
    let channelID: String?
    let title: String
    let snippet: String
    let createdAt: String?

    enum Columns: String, SQLColumn { case id, community_id, channel_id, title, snippet, created_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        communityID = try row.decodeIfPresent(String.self, forKey: .community_id)
        channelID = try row.decodeIfPresent(String.self, forKey: .channel_id)
        title = try row.decodeIfPresent(String.self, forKey: .title) ?? ""
        snippet = try row.decodeIfPresent(String.self, forKey: .snippet) ?? ""
        createdAt = try row.decodeIfPresent(String.self, forKey: .created_at)
    }
}

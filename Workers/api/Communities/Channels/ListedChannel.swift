import OzziRuntime

/// A channel and whether the caller is listed in it (a private channel's members).
struct ListedChannel: SQLRecord, Sendable {
    let channel: CommunityChannel
    let listed: Bool

    enum Columns: String, SQLColumn { case listed }

    init(row: SQLRecordRow<Columns>) throws {
        channel = try row.record(CommunityChannel.self)
        listed = try row.decode(Int.self, forKey: .listed) != 0
    }
}

import OzziRuntime

/// A message in a channel. Its id is the community seq it was posted at, so ids order messages as they
/// were committed.
struct CommunityMessage: Encodable, Sendable, SQLRecord {
    let id: Int64
    let community_id: String
    let channel_id: String
    /// For a reply: the id of its thread's first message.
    let thread_id: Int64?
    let author_id: String
    let author_name: String?
    let body: String
    let mentions: [String]
    let reply_count: Int
    let last_reply_at: String?
    var reactions: [ReactionCount]
    var files: [CommunityFile]
    let edited_at: String?
    let created_at: String

    static let bodyLimit = 4000

    enum Columns: String, SQLColumn {
        case seq, community_id, channel_id, thread_seq, author_id, author_name, body, mentions, reply_count, last_reply_at, edited_at, created_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(Int64.self, forKey: .seq)
        community_id = try row.decode(String.self, forKey: .community_id)
        channel_id = try row.decode(String.self, forKey: .channel_id)
        thread_id = try row.decodeIfPresent(Int64.self, forKey: .thread_seq)
        author_id = try row.decode(String.self, forKey: .author_id)
        author_name = try row.decodeIfPresent(String.self, forKey: .author_name)
        body = try row.decode(String.self, forKey: .body)
        let mentioned = try row.decode(String.self, forKey: .mentions)
        mentions = ((try? JSONValue(jsonBytes: Array(mentioned.utf8)))?.arrayValue ?? []).compactMap(\.stringValue)
        reply_count = try row.decode(Int.self, forKey: .reply_count)
        last_reply_at = try row.decodeIfPresent(String.self, forKey: .last_reply_at)
        reactions = []
        files = []
        edited_at = try row.decodeIfPresent(String.self, forKey: .edited_at)
        created_at = try row.decode(String.self, forKey: .created_at)
    }

    /// Live messages of community `?` (deleted ones are gone from every read).
    static let select = """
        SELECT m.seq, m.community_id, m.channel_id, m.thread_seq, m.author_id, u.name AS author_name, m.body, m.mentions, m.reply_count,
               m.last_reply_at, m.edited_at, m.created_at
        FROM community_messages m LEFT JOIN users u ON u.id = m.author_id
        WHERE m.community_id = ? AND m.deleted_at IS NULL
        """

    static let postedBody = Schema.string(max: bodyLimit).example("Who is in for Saturday's 10k?").described("The text (blank only when files go with it)")

    /// A post's body as a request gives it: the text (blank only with files), its thread, its files (which
    /// need the attach permission).
    static func posted(_ body: JSONBody, _ access: CommunityAccess, _ channel: CommunityChannel) throws -> (String, Int64?, [String]) {
        guard let given = try body.string("body", max: bodyLimit) else { throw APIError.invalidField("body", "is required") }
        let text = String(given.trimmingPrefixAndSuffixSpaces())
        let files = try body.fileIDs()
        guard !text.isEmpty || !files.isEmpty else { throw APIError.invalidField("body", "must not be blank (unless files go with it)") }
        if !files.isEmpty { try access.require(.attach, in: channel, to: "attach files here") }
        return (text, try body.int("thread_id", 1...Int.max).map(Int64.init), files)
    }

    /// As live events carry it (reactions without the reader's own `me`).
    var json: JSONValue { (try? JSONValueEncoder.encode(self)) ?? .null }
}

/// One emoji's reactions on a message: how many, and whether the reader is among them.
struct ReactionCount: Encodable, Sendable, Equatable {
    let emoji: String
    let count: Int
    let me: Bool
}

/// A message's earlier text, kept when it is edited.
struct MessageEdit: Codable, SQLRecord, Sendable {
    let body: String
    let replaced_at: String
    enum CodingKeys: String, SQLColumn { case body, replaced_at }
    typealias Columns = CodingKeys
}

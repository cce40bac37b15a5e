import OzziRuntime

/// One item of a community's review queue: a post held for approval, or a message a member flagged. A
/// moderator approves it (the post is published; the flagged message is deleted) or rejects it, with a reason.
struct Submission: Codable, SQLRecord, Sendable {
    let id: String
    let community_id: String
    let channel_id: String
    let kind: String
    let status: String
    /// The post's author, or who flagged.
    let submitted_by: String
    /// A post's text; for a flag, the message's text when it was flagged.
    let body: String?
    let thread_id: Int64?
    /// A post's files, posted with it when approved.
    let file_ids: [String]
    /// A flag's message; a post's, once approved.
    let message_id: Int64?
    /// Why it was flagged.
    let note: String
    /// Why it was decided so.
    let reason: String
    let decided_by: String?
    let created_at: String
    let decided_at: String?

    enum CodingKeys: String, SQLColumn {
        case id, community_id, channel_id, kind, status, submitted_by, body, thread_id, file_ids, message_id, note, reason,
             decided_by, created_at, decided_at
    }
    typealias Columns = CodingKeys

    static let kinds = ["post", "flag"]
    static let statuses = ["pending", "approved", "rejected"]
    static let noteLimit = 512

    static let select = """
        SELECT id, community_id, channel_id, kind, status, submitted_by, body, thread_seq AS thread_id, file_ids, message_seq AS message_id, note, reason, decided_by, created_at,
               decided_at FROM community_submissions
        """

    /// What live events carry: ids and states, never the text (a held post is for the moderators until approved).
    var eventData: JSONValue {
        var data: [String: JSONValue] = ["submission_id": .string(id), "kind": .string(kind), "status": .string(status),
                                         "submitted_by": .string(submitted_by)]
        if let message_id { data["message_id"] = .number(Double(message_id)) }
        return .object(data)
    }
}

extension Submission: APIModel {
    static let schemaName = "CommunitySubmission"
    static let schema = Schema.object([
        .required("id", Schema.string().example("csub_01jd3k5v7n0000000000000000")),
        .required("community_id", .string()),
        .required("channel_id", .string()),
        .required("kind", Schema.oneOf(kinds).described("post: held for approval; flag: a message a member reported")),
        .required("status", Schema.oneOf(statuses)),
        .required("submitted_by", Schema.string().described("The post's author, or who flagged")),
        .optional("body", Schema.string().described("A post's text; for a flag, the message's text when it was flagged")),
        .optional("thread_id", Schema.integer(min: 1).described("A post's thread")),
        .required("file_ids", Schema.array(.string()).described("A post's files, posted with it when approved")),
        .optional("message_id", Schema.integer(min: 1).described("A flag's message; a post's, once approved")),
        .required("note", Schema.string().described("Why it was flagged")),
        .required("reason", Schema.string().described("Why it was approved or rejected (from the moderator)")),
        .optional("decided_by", .string()),
        .required("created_at", .timestamp),
        .optional("decided_at", .timestamp),
    ], closed: true)
}

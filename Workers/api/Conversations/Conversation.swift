import OzziRuntime

/// A thread between the team and one person, as the inbox shows it.
struct Conversation: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let channel: String
    let widget_id: String?
    let visitor_id: String?
    let contact_id: String?
    let status: String
    let assignee_id: String?
    let last_seq: Int64
    let last_message_at: String
    let last_message_preview: String
    /// Visitor messages no agent has marked read.
    let agent_unread: Int
    /// How far each side has read (read receipts): the seq of the last message it saw.
    let agent_read_seq: Int64
    let visitor_read_seq: Int64
    let created_at: String
    let updated_at: String

    enum CodingKeys: String, SQLColumn {
        case id, channel, widget_id, visitor_id, contact_id, status, assignee_id, last_seq, last_message_at, last_message_preview, agent_unread
        case agent_read_seq, visitor_read_seq, created_at, updated_at
    }
    typealias Columns = CodingKeys

    static let statuses = ["open", "pending", "resolved"]
    static let columns = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
}

/// One message of a conversation. `seq` orders a conversation's messages without gaps: resume after the
/// last one seen.
struct ConversationMessage: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let conversation_id: String
    let seq: Int64
    /// `visitor`, `agent` or `system`.
    let sender: String
    let author_id: String?
    let body: String
    let created_at: String

    enum CodingKeys: String, SQLColumn { case id, conversation_id, seq, sender, author_id, body, created_at }
    typealias Columns = CodingKeys

    static let columns = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")

    /// As the widget shows it: no agent ids.
    var forVisitor: JSONValue {
        ["id": .string(id), "seq": .number(Double(seq)), "from": .string(sender), "text": .string(body), "at": .string(created_at)]
    }
}

import OzziRuntime

/// A study book: a course of ordered lessons, curated by platform admins.
struct Book: Encodable, Sendable {
    let id: String
    let title: String
    let description: String
    let cover_text: String
    let active: Bool
    let published: Bool
    let created_at: String
    let updated_at: String
    var lessons: [Lesson]?

    /// Lists of books go by title, then id (titles repeat).
    static let cursor: @Sendable (Book) -> String = { Cursor($0.title, $0.id).key }
}

/// One lesson of a book, with its messages.
struct Lesson: Encodable, Sendable {
    let id: String
    let book_id: String
    let position: Int
    let title: String
    let content: String
    let active: Bool
    let created_at: String
    let updated_at: String
    var messages: [LessonMessage]?
}

/// A message of a lesson: sent `day_offset` days after the participant's start, at `send_time` local.
/// `workspace_id` is set for a workspace's own messages, nil for the book's.
struct LessonMessage: Codable, Sendable {
    let id: String
    let lesson_id: String
    let workspace_id: String?
    let type: String
    let body: String
    let day_offset: Int
    let send_time: String

    static let types = ["reminder", "scripture", "custom"]
    /// The type of a workspace's own message that does not say.
    static let workspaceDefaultType = "custom"
    /// `send_time`: HH:MM on a 24-hour clock.
    static let sendTimePattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
    private static let sendTimeRule = Pattern(sendTimePattern)

    enum CodingKeys: String, SQLColumn { case id, lesson_id, workspace_id, type, body, day_offset, send_time }

    /// Hours and minutes of `send_time`.
    var hourMinute: (Int, Int) {
        let parts = send_time.split(separator: ":").compactMap { Int($0) }
        return (parts.first ?? 9, parts.count > 1 ? parts[1] : 0)
    }

    /// Reads `type`, `body`, `day_offset` and `send_time` from a body (all required unless `partial`).
    static func fields(_ body: JSONBody, partial: Bool) throws -> (type: String?, body: String?, dayOffset: Int?, sendTime: String?) {
        let type = try body.choice("type", types)
        let text = try body.string("body", max: 1600)
        if let text {
            do { _ = try TemplateText(text) } catch { throw APIError.invalidField("body", error.message) }
        }
        var dayOffset: Int?
        if let value = body.fields["day_offset"], value != .null {
            guard let n = value.numberValue, n >= 0, n <= 3650, n == n.rounded() else { throw APIError.invalidField("day_offset", "must be a whole number of days, 0...3650") }
            dayOffset = Int(n)
        }
        let sendTime = try body.string("send_time", max: 5)
        if let sendTime, !sendTimeRule.matches(sendTime) {
            throw APIError.invalidField("send_time", "must be HH:MM (24-hour, the participant's local time)")
        }
        if !partial {
            guard type != nil else { throw APIError.invalidField("type", "is required: \(types.joined(separator: ", "))") }
            guard let text, !text.isEmpty else { throw APIError.invalidField("body", "is required") }
            guard dayOffset != nil else { throw APIError.invalidField("day_offset", "is required") }
            guard sendTime != nil else { throw APIError.invalidField("send_time", "is required") }
        }
        return (type, text, dayOffset, sendTime)
    }
}

extension Book: SQLRecord {
    enum Columns: String, SQLColumn { case id, title, description, cover_text, active, published, created_at, updated_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        title = try row.decode(String.self, forKey: .title)
        description = try row.decode(String.self, forKey: .description)
        cover_text = try row.decode(String.self, forKey: .cover_text)
        active = try row.decode(Bool.self, forKey: .active)
        published = try row.decode(Bool.self, forKey: .published)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        lessons = nil
    }
}

extension Lesson: SQLRecord {
    enum Columns: String, SQLColumn { case id, book_id, position, title, content, active, created_at, updated_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        book_id = try row.decode(String.self, forKey: .book_id)
        position = try row.decode(Int.self, forKey: .position)
        title = try row.decode(String.self, forKey: .title)
        content = try row.decode(String.self, forKey: .content)
        active = try row.decode(Bool.self, forKey: .active)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        messages = nil
    }
}

extension LessonMessage: SQLRecord {
    typealias Columns = CodingKeys
}

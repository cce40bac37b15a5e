import OzziRuntime

/// A contact enrolled in a book by a workspace: which lessons, from which day, in which time zone.
struct Participant: Encodable, Sendable {
    let id: String
    let book_id: String
    let contact_id: String
    let time_zone: String
    let start_date: String
    let lesson_ids: [String]
    let status: String
    let created_by: String
    let created_at: String
    let updated_at: String
    /// Each planned lesson message and the delivery of its scheduled message (single-participant reads).
    var messages: [PlannedMessage]?

    struct PlannedMessage: Codable, SQLRecord, Sendable {
        let lesson_id: String
        let lesson_message_id: String
        let type: String
        let message_id: String
        let scheduled_at: String
        let status: String
        let sent_at: String?
        let delivered_at: String?
        enum CodingKeys: String, SQLColumn { case lesson_id, lesson_message_id, type, message_id, scheduled_at, status, sent_at, delivered_at }
        typealias Columns = CodingKeys
    }

    static let statuses = ["active", "paused", "canceled"]
    /// What a workspace may set: `canceled` comes only from removing the participant.
    static let changeableStatuses = ["active", "paused"]
}

extension Participant: SQLRecord {
    enum Columns: String, SQLColumn { case id, book_id, contact_id, time_zone, start_date, lesson_ids, status, created_by, created_at, updated_at }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        book_id = try row.decode(String.self, forKey: .book_id)
        contact_id = try row.decode(String.self, forKey: .contact_id)
        time_zone = try row.decode(String.self, forKey: .time_zone)
        start_date = try row.decode(String.self, forKey: .start_date)
        lesson_ids = try row.decode([String].self, forKey: .lesson_ids)
        status = try row.decode(String.self, forKey: .status)
        created_by = try row.decode(String.self, forKey: .created_by)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        messages = nil
    }
}

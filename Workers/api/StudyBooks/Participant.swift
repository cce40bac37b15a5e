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

    struct PlannedMessage: Codable, Sendable {
        let lesson_id: String
        let lesson_message_id: String
        let type: String
        let message_id: String
        let scheduled_at: String
        let status: String
        let sent_at: String?
        let delivered_at: String?
    }

    static let statuses = ["active", "paused", "canceled"]
    static let columns = "id, book_id, contact_id, time_zone, start_date, lesson_ids, status, created_by, created_at, updated_at"

    init(row: SQLRow) {
        id = row.text("id") ?? ""
        book_id = row.text("book_id") ?? ""
        contact_id = row.text("contact_id") ?? ""
        time_zone = row.text("time_zone") ?? "UTC"
        start_date = row.text("start_date") ?? ""
        lesson_ids = (try? JSONValue(jsonBytes: Array((row.text("lesson_ids") ?? "[]").utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
        status = row.text("status") ?? "active"
        created_by = row.text("created_by") ?? ""
        created_at = row.text("created_at") ?? ""
        updated_at = row.text("updated_at") ?? ""
    }
}

import OzziRuntime

/// A workspace's figures for one book, overall and per lesson: participants enrolled, active, paused,
/// completed; lesson messages scheduled, sent, delivered, failed and the success rate; replies (an inbound
/// SMS from a participant within `replyWindowMs` after one of its lesson messages was sent).
struct BookAnalytics: Sendable {
    let database: any SQLDatabase
    let replyWindowMs: Int64

    struct Delivery: Encodable {
        var scheduled = 0, pending = 0, sent = 0, delivered = 0, failed = 0, canceled = 0
        var success_rate: Double?
    }

    struct Participants: Encodable {
        var enrolled = 0, active = 0, paused = 0, canceled = 0, completed = 0
    }

    struct LessonFigures: Encodable {
        let lesson_id: String
        let title: String
        let participants: Int
        let messages: Delivery
        let replies: Int
    }

    struct Report: Encodable {
        let book_id: String
        let participants: Participants
        let messages: Delivery
        let replies: Int
        let reply_window_hours: Double
        let lessons: [LessonFigures]
    }

    func report(_ scope: TenantScope, bookID: String, lessons: [Lesson]) async throws -> Report {
        let ws = scope.workspaceID
        var people = Participants()
        for row in try await database.prepare("""
            SELECT p.status,
                   (SELECT count(*) FROM participant_messages pm JOIN messages m ON m.id = pm.message_id WHERE pm.participant_id = p.id AND m.status = 'pending') AS pending,
                   (SELECT count(*) FROM participant_messages pm JOIN messages m ON m.id = pm.message_id WHERE pm.participant_id = p.id AND m.status != 'canceled') AS planned
            FROM participants p WHERE p.workspace_id = ? AND p.book_id = ?
            """).bind(ws, bookID).all(Enrollment.self) {
            people.enrolled += 1
            switch row.status {
            case "paused": people.paused += 1
            case "canceled": people.canceled += 1
            default:
                if row.planned > 0 && row.pending == 0 { people.completed += 1 } else { people.active += 1 }
            }
        }
        var total = Delivery(), perLesson: [String: Delivery] = [:]
        for row in try await database.prepare("""
            SELECT lm.lesson_id, m.status, count(*) AS n FROM participant_messages pm JOIN participants p ON p.id = pm.participant_id
            JOIN lesson_messages lm ON lm.id = pm.lesson_message_id JOIN messages m ON m.id = pm.message_id
            WHERE p.workspace_id = ? AND p.book_id = ? GROUP BY lm.lesson_id, m.status
            """).bind(ws, bookID).all(Tally.self) {
            Self.add(row.status, row.n, to: &total)
            Self.add(row.status, row.n, to: &perLesson[row.lesson_id, default: Delivery()])
        }
        let replyJoin = """
            FROM inbound_messages im JOIN participants p ON p.contact_id = im.contact_id AND p.workspace_id = im.workspace_id
            JOIN participant_messages pm ON pm.participant_id = p.id JOIN lesson_messages lm ON lm.id = pm.lesson_message_id
            JOIN messages m ON m.id = pm.message_id
            WHERE p.workspace_id = ? AND p.book_id = ? AND m.sent_ms IS NOT NULL AND im.received_ms >= m.sent_ms AND im.received_ms < m.sent_ms + ?
            """
        let replies = Int(try await database.prepare("SELECT count(DISTINCT im.id) AS n \(replyJoin)").bind(ws, bookID, replyWindowMs).first()?.integer("n") ?? 0)
        let repliesByLesson = Dictionary(try await database.prepare("SELECT lm.lesson_id, count(DISTINCT im.id) AS n \(replyJoin) GROUP BY lm.lesson_id")
            .bind(ws, bookID, replyWindowMs).all(PerLesson.self).map { ($0.lesson_id, $0.n) }, uniquingKeysWith: +)
        let enrolledByLesson = Dictionary(try await database.prepare("""
            SELECT j.value AS lesson_id, count(*) AS n FROM participants p, \(database.dialect.elements("p.lesson_ids")) j
            WHERE p.workspace_id = ? AND p.book_id = ? AND p.status != 'canceled' GROUP BY j.value
            """).bind(ws, bookID).all(PerLesson.self).map { ($0.lesson_id, $0.n) }, uniquingKeysWith: +)
        return Report(book_id: bookID, participants: people, messages: Self.rated(total), replies: replies,
                      reply_window_hours: Double(replyWindowMs) / 3_600_000,
                      lessons: lessons.map { lesson in
                          LessonFigures(lesson_id: lesson.id, title: lesson.title, participants: enrolledByLesson[lesson.id] ?? 0,
                                        messages: Self.rated(perLesson[lesson.id] ?? Delivery()), replies: repliesByLesson[lesson.id] ?? 0)
                      })
    }

    private static func add(_ status: String, _ n: Int, to delivery: inout Delivery) {
        switch status {
        case "pending", "sending", "review": delivery.pending += n
        case "sent": delivery.sent += n
        case "delivered": delivery.delivered += n
        case "failed", "undelivered": delivery.failed += n
        case "canceled": delivery.canceled += n
        default: break
        }
        if status != "canceled" { delivery.scheduled += n }
    }

    /// A participant's status and how many of its lesson messages are pending, and planned at all.
    private struct Enrollment: Decodable, SQLRecord {
        let status: String
        let pending: Int
        let planned: Int

        enum CodingKeys: String, SQLColumn { case status, pending, planned }
        typealias Columns = CodingKeys
    }

    /// How many of a lesson's scheduled messages are in a status.
    private struct Tally: Decodable, SQLRecord {
        let lesson_id: String
        let status: String
        let n: Int

        enum CodingKeys: String, SQLColumn { case lesson_id, status, n }
        typealias Columns = CodingKeys
    }

    /// A count for one lesson.
    private struct PerLesson: Decodable, SQLRecord {
        let lesson_id: String
        let n: Int

        enum CodingKeys: String, SQLColumn { case lesson_id, n }
        typealias Columns = CodingKeys
    }

    private static func rated(_ delivery: Delivery) -> Delivery {
        var delivery = delivery
        let good = delivery.sent + delivery.delivered
        delivery.success_rate = good + delivery.failed > 0 ? Double(good) / Double(good + delivery.failed) : nil
        return delivery
    }
}

import Foundation
import OzziRuntime

/// Turns participants' plans into scheduled messages through the messaging engine, and keeps them true:
/// `replan` cancels a participant's pending lesson messages and schedules what its plan now calls for
/// (active participant, active book and lessons, selected lessons, due from now on, not already sent).
/// Enrolling, pausing, resuming, changing the selection or start date, and (de)activating content all
/// come down to it.
struct StudyScheduler: Sendable {
    let books: BookStore
    let messages: MessageStore
    let queue: DeliveryQueue
    let events: WorkspaceEvents
    var database: any SQLDatabase { messages.database }
    var clock: any WallClock { messages.clock }

    static let category = "study_book"

    func replan(_ scope: TenantScope, participantIDs: [String]) async throws {
        guard !participantIDs.isEmpty else { return }
        let participants = try await database.prepare("""
            SELECT \(Participant.selection) FROM participants WHERE workspace_id = ? AND id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(scope.workspaceID, SQLList.json(participantIDs)).all(Participant.self)
        let contacts = Dictionary(try await database.prepare("""
            SELECT \(ContactStore.columns) FROM contacts c WHERE c.workspace_id = ? AND c.id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(scope.workspaceID, SQLList.json(participants.map(\.contact_id))).all(Contact.self).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        // What each participant already has: sent (or past sending) lesson messages stay; pending ones go.
        let links = try await database.prepare("""
            SELECT pm.participant_id, pm.lesson_message_id, pm.message_id, m.status FROM participant_messages pm JOIN messages m ON m.id = pm.message_id
            WHERE pm.participant_id IN (SELECT value FROM \(database.dialect.elements()))
            """).bind(SQLList.json(participantIDs)).all(Link.self)
        var settled = Set<String>(), pending: [String] = []
        for link in links {
            if link.status == .pending { pending.append(link.message_id) }
            else if link.status != .canceled { settled.insert("\(link.participant_id) \(link.lesson_message_id)") }
        }
        var content: [String: (active: Bool, lessons: [Lesson])] = [:]
        for bookID in Set(participants.map(\.book_id)) {
            let book = try await books.book(bookID)
            content[bookID] = (book?.active ?? false, try await books.lessons(bookID: bookID, workspaceID: scope.workspaceID, activeOnly: true))
        }
        let now = clock.milliseconds
        var rows: [MessageStore.NewMessage] = []
        var newLinks: [JSONValue] = []
        var createdBy: [String: [MessageStore.NewMessage]] = [:]
        for participant in participants where participant.status == "active" {
            guard let (active, lessons) = content[participant.book_id], active, let zone = TimeZone(identifier: participant.time_zone),
                  let contact = contacts[participant.contact_id], let phone = contact.phone, contact.sms_consent.status != "opted_out" else { continue }
            for send in StudyPlan.sends(startDate: participant.start_date, zone: zone, lessons: lessons, selected: Set(participant.lesson_ids))
            where send.dueMs >= now && !settled.contains("\(participant.id) \(send.lessonMessageID)") {
                let row = MessageStore.NewMessage(
                    id: ResourceID.make("msg"), contactID: contact.id, to: phone, templateID: nil, body: send.body,
                    scheduledAt: Timestamp.at(milliseconds: send.dueMs), dueMs: send.dueMs,
                    timeZone: participant.time_zone, category: Self.category, campaign: "book:\(participant.book_id)")
                createdBy[participant.created_by, default: []].append(row)
                rows.append(row)
                newLinks.append(["participant_id": .string(participant.id), "lesson_message_id": .string(send.lessonMessageID), "message_id": .string(row.id)])
            }
        }
        let now8601 = Timestamp.now(clock)
        // (`WHERE true`: SQLite would read the upsert's ON as a join constraint of the SELECT.)
        let canceled = try await database.transaction { [createdBy, newLinks, pending] tx -> [String] in
            let canceled = try tx.all("""
                UPDATE messages SET status = 'canceled', updated_at = ? WHERE id IN (SELECT value FROM \(tx.dialect.elements())) AND status = 'pending' RETURNING id
                """, now8601, SQLList.json(pending)).compactMap { $0.text("id") }
            try tx.run("INSERT INTO message_events (message_id, at, kind, result) SELECT value, ?, 'status', 'canceled' FROM \(tx.dialect.elements())",
                       now8601, SQLList.json(canceled))
            for (user, messages) in createdBy { try MessageStore.insert(tx, scope, createdBy: user, messages, now: now8601) }
            try tx.run("""
                INSERT INTO participant_messages (participant_id, lesson_message_id, message_id)
                SELECT value ->> 'participant_id', value ->> 'lesson_message_id', value ->> 'message_id' FROM \(tx.dialect.records()) WHERE true
                ON CONFLICT (participant_id, lesson_message_id) DO UPDATE SET message_id = excluded.message_id
                """, SQLList.json(newLinks))
            try WorkspaceEvents.record(tx, canceled.map { StatusChange(scope: scope, messageID: $0, status: .canceled, errorCode: nil) }, at: now8601)
            return canceled
        }
        try await queue.enqueue(rows.map { (DeliveryJob(messageID: $0.id, version: 1), $0.dueMs) })
        if !canceled.isEmpty { events.flushSoon() }
    }

    /// Replans every participant of a book in every workspace (content was (de)activated or changed).
    func replanBook(_ bookID: String) async throws {
        let rows = try await database.prepare("SELECT \(Enrolled.selection) FROM participants WHERE book_id = ? AND status = 'active'")
            .bind(bookID).all(Enrolled.self)
        for (workspace, participants) in Dictionary(grouping: rows, by: \.workspace_id) {
            try await replan(TenantScope(workspaceID: workspace), participantIDs: participants.map(\.id))
        }
    }

    /// A participant's planned lesson message and where its scheduled message stands.
    private struct Link: Decodable, SQLRecord {
        let participant_id: String
        let lesson_message_id: String
        let message_id: String
        let status: MessageStatus

        enum CodingKeys: String, SQLColumn { case participant_id, lesson_message_id, message_id, status }
        typealias Columns = CodingKeys
    }

    /// An active participant of a book, and its workspace.
    private struct Enrolled: Decodable, SQLRecord {
        let id: String
        let workspace_id: String

        enum CodingKeys: String, SQLColumn { case id, workspace_id }
        typealias Columns = CodingKeys
    }
}

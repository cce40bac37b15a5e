import OzziRuntime

/// All SQL of participants: enrolling, reading with each planned message's delivery, changing the plan.
struct ParticipantStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    struct Enrolled: Encodable {
        let enrolled: [Participant]
        let skipped: [MessageScheduler.Skipped]
    }

    /// Why `enroll` skipped a contact.
    static let skipReasons = ["not_found", "already_enrolled", "no_phone"]

    /// Enrolls contacts; those already in the book, or without a phone, are skipped with that reason. Returns the new ids too.
    func enroll(_ scope: TenantScope, bookID: String, contactIDs: [String], lessonIDs: [String], startDate: String, timeZone: String,
                createdBy: String) async throws -> (ids: [String], skipped: [MessageScheduler.Skipped]) {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            // Contact id -> whether it has a phone: lessons are text messages.
            let known = Dictionary(try tx.all("SELECT id, phone FROM contacts WHERE workspace_id = ? AND id IN (SELECT value FROM \(tx.dialect.elements()))",
                                              scope.workspaceID, SQLList.json(contactIDs)).compactMap { row in row.text("id").map { ($0, row.text("phone") != nil) } },
                                   uniquingKeysWith: { a, _ in a })
            var ids: [String] = [], skipped: [MessageScheduler.Skipped] = []
            for contact in contactIDs {
                guard let reachable = known[contact] else {
                    skipped.append(.init(contact_id: contact, reason: "not_found"))
                    continue
                }
                guard reachable else {
                    skipped.append(.init(contact_id: contact, reason: "no_phone"))
                    continue
                }
                let id = ResourceID.make("par")
                let inserted = try tx.run("""
                    INSERT INTO participants (id, workspace_id, book_id, contact_id, time_zone, start_date, lesson_ids, status, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) ON CONFLICT (workspace_id, book_id, contact_id) DO NOTHING
                    """, id, scope.workspaceID, bookID, contact, timeZone, startDate, SQLList.json(lessonIDs), createdBy, now, now).changes == 1
                if inserted { ids.append(id) } else { skipped.append(.init(contact_id: contact, reason: "already_enrolled")) }
            }
            return (ids, skipped)
        }
    }

    func get(_ scope: TenantScope, id: String) async throws -> Participant? {
        guard var participant = try await database.prepare("SELECT \(Participant.selection) FROM participants WHERE workspace_id = ? AND id = ?")
            .bind(scope.workspaceID, id).first(Participant.self) else { return nil }
        participant.messages = try await database.prepare("""
            SELECT lm.lesson_id, pm.lesson_message_id, lm.type, pm.message_id, m.scheduled_at, m.status, m.sent_at, m.delivered_at
            FROM participant_messages pm JOIN lesson_messages lm ON lm.id = pm.lesson_message_id JOIN messages m ON m.id = pm.message_id
            WHERE pm.participant_id = ? ORDER BY m.due_ms
            """).bind(id).all(Participant.PlannedMessage.self)
        return participant
    }

    /// A page of the workspace's participants of a book, oldest first (keyset on created_at, id).
    func list(_ scope: TenantScope, bookID: String, page: PageRequest) async throws -> [Participant] {
        let after = page.afterKeyAndID
        return try await database.prepare("""
            SELECT \(Participant.selection) FROM participants WHERE workspace_id = ? AND book_id = ?
              AND (created_at > ? OR (created_at = ? AND id > ?)) ORDER BY created_at, id LIMIT ?
            """).bind(scope.workspaceID, bookID, after.key, after.key, after.id, page.limit + 1).all(Participant.self)
    }

    func update(_ scope: TenantScope, id: String, status: String?, lessonIDs: [String]?, startDate: String?, timeZone: String?) async throws {
        try await database.prepare("""
            UPDATE participants SET status = COALESCE(?, status), lesson_ids = COALESCE(?, lesson_ids), start_date = COALESCE(?, start_date),
              time_zone = COALESCE(?, time_zone), updated_at = ? WHERE workspace_id = ? AND id = ?
            """).bind(status, lessonIDs.map(SQLList.json), startDate, timeZone, Timestamp.now(clock), scope.workspaceID, id).run()
    }

    /// The workspace's active participants of a book (its own lesson messages changed).
    func activeIDs(_ scope: TenantScope, bookID: String) async throws -> [String] {
        try await database.prepare("SELECT id FROM participants WHERE workspace_id = ? AND book_id = ? AND status = 'active'")
            .bind(scope.workspaceID, bookID).all().compactMap { $0.text("id") }
    }
}

import OzziRuntime

/// All SQL of study-book content: books, lessons and lesson messages (the admins' and workspaces' own).
struct BookStore: Sendable {
    let database: any SQLDatabase
    let clock: any WallClock

    // MARK: - Books

    func createBook(title: String, description: String, coverText: String, published: Bool) async throws -> Book {
        let id = ResourceID.make("bok"), now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO books (id, title, description, cover_text, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).bind(id, title, description, coverText, published ? 1 : 0, now, now).run()
        return try await book(id)!
    }

    func book(_ id: String) async throws -> Book? {
        try await database.prepare("SELECT \(Book.selection) FROM books WHERE id = ?").bind(id).first(Book.self)
    }

    /// A page of every book (admins), or of the published, active ones (workspaces), by title then id.
    func books(publishedOnly: Bool, page: PageRequest) async throws -> [Book] {
        let after = page.afterKeyAndID
        return try await database.prepare("""
            SELECT \(Book.selection) FROM books WHERE (? = 0 OR (published = 1 AND active = 1))
              AND (title > ? OR (title = ? AND id > ?)) ORDER BY title, id LIMIT ?
            """).bind(publishedOnly ? 1 : 0, after.key, after.key, after.id, page.limit + 1).all(Book.self)
    }

    func updateBook(_ id: String, title: String?, description: String?, coverText: String?, active: Bool?, published: Bool?) async throws -> Book? {
        try await database.prepare("""
            UPDATE books SET title = COALESCE(?, title), description = COALESCE(?, description), cover_text = COALESCE(?, cover_text),
              active = COALESCE(?, active), published = COALESCE(?, published), updated_at = ? WHERE id = ?
            """).bind(title, description, coverText, active.map { $0 ? 1 : 0 }, published.map { $0 ? 1 : 0 }, Timestamp.now(clock), id).run()
        return try await book(id)
    }

    func deleteBook(_ id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM books WHERE id = ?").bind(id).run().changes == 1
    }

    // MARK: - Lessons

    func createLesson(bookID: String, title: String, content: String, position: Int?) async throws -> Lesson {
        let id = ResourceID.make("les"), now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO lessons (id, book_id, position, title, content, created_at, updated_at)
            VALUES (?, ?, COALESCE(?, (SELECT coalesce(max(position), 0) + 1 FROM lessons WHERE book_id = ?)), ?, ?, ?, ?)
            """).bind(id, bookID, position, bookID, title, content, now, now).run()
        return try await lesson(bookID: bookID, id: id)!
    }

    func lesson(bookID: String, id: String) async throws -> Lesson? {
        try await database.prepare("SELECT \(Lesson.selection) FROM lessons WHERE book_id = ? AND id = ?").bind(bookID, id).first(Lesson.self)
    }

    /// A book's lessons in order, each with its messages: the book's and, given a workspace, that
    /// workspace's own. `activeOnly` hides inactive lessons (what participants see).
    func lessons(bookID: String, workspaceID: String?, activeOnly: Bool) async throws -> [Lesson] {
        var lessons = try await database.prepare("""
            SELECT \(Lesson.selection) FROM lessons WHERE book_id = ? AND (? = 0 OR active = 1) ORDER BY position, created_at
            """).bind(bookID, activeOnly ? 1 : 0).all(Lesson.self)
        let messages = try await database.prepare("""
            SELECT \(LessonMessage.selection) FROM lesson_messages
            WHERE lesson_id IN (SELECT id FROM lessons WHERE book_id = ?) AND (workspace_id IS NULL OR workspace_id = ?)
            ORDER BY day_offset, send_time, created_at
            """).bind(bookID, workspaceID).all(LessonMessage.self)
        let byLesson = Dictionary(grouping: messages, by: \.lesson_id)
        for index in lessons.indices { lessons[index].messages = byLesson[lessons[index].id] ?? [] }
        return lessons
    }

    func updateLesson(bookID: String, id: String, title: String?, content: String?, position: Int?, active: Bool?) async throws -> Lesson? {
        try await database.prepare("""
            UPDATE lessons SET title = COALESCE(?, title), content = COALESCE(?, content), position = COALESCE(?, position),
              active = COALESCE(?, active), updated_at = ? WHERE book_id = ? AND id = ?
            """).bind(title, content, position, active.map { $0 ? 1 : 0 }, Timestamp.now(clock), bookID, id).run()
        return try await lesson(bookID: bookID, id: id)
    }

    func deleteLesson(bookID: String, id: String) async throws -> Bool {
        try await database.prepare("DELETE FROM lessons WHERE book_id = ? AND id = ?").bind(bookID, id).run().changes == 1
    }

    // MARK: - Lesson messages

    func createMessage(lessonID: String, workspaceID: String?, type: String, body: String, dayOffset: Int, sendTime: String) async throws -> LessonMessage {
        let id = ResourceID.make("lsm"), now = Timestamp.now(clock)
        try await database.prepare("""
            INSERT INTO lesson_messages (id, lesson_id, workspace_id, type, body, day_offset, send_time, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).bind(id, lessonID, workspaceID, type, body, dayOffset, sendTime, now, now).run()
        return try await message(lessonID: lessonID, id: id, workspaceID: workspaceID)!
    }

    /// One message of a lesson that belongs to `workspaceID` (nil: the book's own).
    func message(lessonID: String, id: String, workspaceID: String?) async throws -> LessonMessage? {
        try await database.prepare("""
            SELECT \(LessonMessage.selection) FROM lesson_messages WHERE lesson_id = ? AND id = ? AND workspace_id IS NOT DISTINCT FROM ?
            """).bind(lessonID, id, workspaceID).first(LessonMessage.self)
    }

    func updateMessage(lessonID: String, id: String, workspaceID: String?, type: String?, body: String?, dayOffset: Int?, sendTime: String?) async throws -> LessonMessage? {
        try await database.prepare("""
            UPDATE lesson_messages SET type = COALESCE(?, type), body = COALESCE(?, body), day_offset = COALESCE(?, day_offset),
              send_time = COALESCE(?, send_time), updated_at = ? WHERE lesson_id = ? AND id = ? AND workspace_id IS NOT DISTINCT FROM ?
            """).bind(type, body, dayOffset, sendTime, Timestamp.now(clock), lessonID, id, workspaceID).run()
        return try await message(lessonID: lessonID, id: id, workspaceID: workspaceID)
    }

    /// Deletes a lesson message, canceling its participants' pending sends of it first.
    func deleteMessage(lessonID: String, id: String, workspaceID: String?) async throws -> Bool {
        let now = Timestamp.now(clock)
        return try await database.transaction { tx in
            let canceled = try tx.all(Canceled.self, """
                UPDATE messages SET status = 'canceled', updated_at = ?
                WHERE id IN (SELECT message_id FROM participant_messages WHERE lesson_message_id = ?) AND status = 'pending'
                RETURNING \(Canceled.selection)
                """, now, id)
            try tx.run("INSERT INTO message_events (message_id, at, kind, result) SELECT value, ?, 'status', 'canceled' FROM \(tx.dialect.elements())",
                       now, SQLList.json(canceled.map(\.id)))
            try WorkspaceEvents.record(tx, canceled.map {
                StatusChange(scope: TenantScope(workspaceID: $0.workspace_id), messageID: $0.id, status: .canceled, errorCode: nil)
            }, at: now)
            return try tx.run("DELETE FROM lesson_messages WHERE lesson_id = ? AND id = ? AND workspace_id IS NOT DISTINCT FROM ?", lessonID, id, workspaceID).changes == 1
        }
    }

    /// A scheduled message a deleted lesson message canceled, and its workspace.
    private struct Canceled: Decodable, SQLRecord {
        let id: String
        let workspace_id: String

        enum CodingKeys: String, SQLColumn { case id, workspace_id }
        typealias Columns = CodingKeys
    }
}

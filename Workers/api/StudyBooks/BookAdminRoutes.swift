import OzziRuntime

/// `/api/v1/admin/books/...`: study-book content, for platform admins only (403 for everyone else).
/// Deactivating (or reactivating) a book or lesson, or changing its messages, replans its participants:
/// pending sends of what is now inactive are canceled.
extension RouteGroup {
    func addBookAdminRoutes(_ s: StudyBooksDomain) {
        authed("POST", "", "Create a book (title, description, cover_text, published)", tag: "admin",
               body: .json(Book.body(creating: true)), answers: .json(.model(Book.self)), success: 201, creates: true) { request, _, principal in
            try principal.requirePlatformAdmin()
            let body = try JSONBody(request)
            let book = try await s.books.createBook(title: try body.requiredString("title", max: 200), description: try body.string("description", max: 5000) ?? "",
                                                    coverText: try body.string("cover_text", max: 2000) ?? "", published: try body.bool("published") ?? false)
            return .json(book, status: 201)
        }

        list("", "Every book, drafts and inactive ones included, by title", tag: "admin", of: .model(Book.self), key: Book.cursor) { _, _, principal, page in
            try principal.requirePlatformAdmin()
            return try await s.books.books(publishedOnly: false, page: page)
        }

        authed("GET", "/:id", "A book with all its lessons and their messages", tag: "admin", answers: .json(.model(Book.self))) { _, context, principal in
            try principal.requirePlatformAdmin()
            guard var book = try await s.books.book(context.parameter("id")) else { throw APIError.notFound("book") }
            book.lessons = try await s.books.lessons(bookID: book.id, workspaceID: nil, activeOnly: false)
            return .json(book)
        }

        authed("PATCH", "/:id", "Change a book; active false cancels its participants' pending sends", tag: "admin",
               body: .json(Book.body(creating: false)), answers: .json(.model(Book.self))) { request, context, principal in
            try principal.requirePlatformAdmin()
            let id = context.parameter("id")
            guard try await s.books.book(id) != nil else { throw APIError.notFound("book") }
            let body = try JSONBody(request)
            let active = try body.bool("active")
            let book = try await s.books.updateBook(id, title: try body.string("title", max: 200), description: try body.string("description", max: 5000),
                                                    coverText: try body.string("cover_text", max: 2000), active: active, published: try body.bool("published"))
            if active != nil { try await s.study.replanBook(id) }
            return .json(book!)
        }

        authed("DELETE", "/:id", "Delete a book (its participants' pending sends are canceled first)", tag: "admin", answers: .empty, success: 204) { _, context, principal in
            try principal.requirePlatformAdmin()
            let id = context.parameter("id")
            guard try await s.books.updateBook(id, title: nil, description: nil, coverText: nil, active: false, published: nil) != nil else {
                throw APIError.notFound("book")
            }
            try await s.study.replanBook(id)
            _ = try await s.books.deleteBook(id)
            return Response(status: 204)
        }

        authed("POST", "/:id/lessons", "Add a lesson (title, content, position; appended by default)", tag: "admin",
               body: .json(Lesson.body(creating: true)), answers: .json(.model(Lesson.self)), success: 201, creates: true) { request, context, principal in
            try principal.requirePlatformAdmin()
            guard try await s.books.book(context.parameter("id")) != nil else { throw APIError.notFound("book") }
            let body = try JSONBody(request)
            let lesson = try await s.books.createLesson(bookID: context.parameter("id"), title: try body.requiredString("title", max: 200),
                                                        content: try body.string("content", max: 20_000) ?? "", position: try Self.position(body))
            return .json(lesson, status: 201)
        }

        authed("PATCH", "/:id/lessons/:lessonId", "Change a lesson; active false cancels its pending sends", tag: "admin",
               body: .json(Lesson.body(creating: false)), answers: .json(.model(Lesson.self))) { request, context, principal in
            try principal.requirePlatformAdmin()
            let bookID = context.parameter("id"), lessonID = context.parameter("lessonId")
            guard try await s.books.lesson(bookID: bookID, id: lessonID) != nil else { throw APIError.notFound("lesson") }
            let body = try JSONBody(request)
            let active = try body.bool("active")
            let lesson = try await s.books.updateLesson(bookID: bookID, id: lessonID, title: try body.string("title", max: 200),
                                                        content: try body.string("content", max: 20_000), position: try Self.position(body), active: active)
            if active != nil { try await s.study.replanBook(bookID) }
            return .json(lesson!)
        }

        authed("DELETE", "/:id/lessons/:lessonId", "Delete a lesson (its pending sends are canceled first)", tag: "admin", answers: .empty, success: 204) { _, context, principal in
            try principal.requirePlatformAdmin()
            let bookID = context.parameter("id"), lessonID = context.parameter("lessonId")
            guard try await s.books.updateLesson(bookID: bookID, id: lessonID, title: nil, content: nil, position: nil, active: false) != nil else {
                throw APIError.notFound("lesson")
            }
            try await s.study.replanBook(bookID)
            _ = try await s.books.deleteLesson(bookID: bookID, id: lessonID)
            return Response(status: 204)
        }

        authed("POST", "/:id/lessons/:lessonId/messages",
               "Add a lesson message: type reminder|scripture|custom, body, day_offset (days after the participant's start), send_time HH:MM local",
               tag: "admin", body: .json(LessonMessage.body(creating: true)), answers: .json(.model(LessonMessage.self)), success: 201,
               creates: true) { request, context, principal in
            try principal.requirePlatformAdmin()
            let bookID = context.parameter("id"), lessonID = context.parameter("lessonId")
            guard try await s.books.lesson(bookID: bookID, id: lessonID) != nil else { throw APIError.notFound("lesson") }
            let fields = try LessonMessage.fields(try JSONBody(request), partial: false)
            let message = try await s.books.createMessage(lessonID: lessonID, workspaceID: nil, type: fields.type!, body: fields.body!,
                                                          dayOffset: fields.dayOffset!, sendTime: fields.sendTime!)
            try await s.study.replanBook(bookID)
            return .json(message, status: 201)
        }

        authed("PATCH", "/:id/lessons/:lessonId/messages/:messageId", "Change a lesson message (participants are replanned)",
               tag: "admin", body: .json(LessonMessage.body(creating: false)), answers: .json(.model(LessonMessage.self))) { request, context, principal in
            try principal.requirePlatformAdmin()
            let bookID = context.parameter("id"), lessonID = context.parameter("lessonId")
            guard try await s.books.lesson(bookID: bookID, id: lessonID) != nil,
                  try await s.books.message(lessonID: lessonID, id: context.parameter("messageId"), workspaceID: nil) != nil else {
                throw APIError.notFound("lesson message")
            }
            let fields = try LessonMessage.fields(try JSONBody(request), partial: true)
            let message = try await s.books.updateMessage(lessonID: lessonID, id: context.parameter("messageId"), workspaceID: nil, type: fields.type,
                                                          body: fields.body, dayOffset: fields.dayOffset, sendTime: fields.sendTime)
            try await s.study.replanBook(bookID)
            return .json(message!)
        }

        authed("DELETE", "/:id/lessons/:lessonId/messages/:messageId", "Delete a lesson message", tag: "admin",
               answers: .empty, success: 204) { _, context, principal in
            try principal.requirePlatformAdmin()
            let bookID = context.parameter("id"), lessonID = context.parameter("lessonId")
            guard try await s.books.lesson(bookID: bookID, id: lessonID) != nil,
                  try await s.books.deleteMessage(lessonID: lessonID, id: context.parameter("messageId"), workspaceID: nil) else {
                throw APIError.notFound("lesson message")
            }
            return Response(status: 204)
        }
    }

    static func position(_ body: JSONBody) throws -> Int? {
        guard let value = body.fields["position"], value != .null else { return nil }
        guard let n = value.numberValue, n >= 0, n == n.rounded(), n < 100_000 else { throw APIError.invalidField("position", "must be a whole number") }
        return Int(n)
    }
}

import OzziRuntime

/// Study books for workspaces: published books, enrolling contacts, a workspace's own lesson messages,
/// participants (pause, resume, change lessons or start date), and analytics.
extension RouteGroup {
    func addBookRoutes(_ s: StudyBooksDomain) {
        list("/books", "Published, active books, by title", tag: "books", of: .model(Book.self), key: Book.cursor) { _, _, _, page in
            try await s.books.books(publishedOnly: true, page: page)
        }

        authed("GET", "/books/:id", "A published book with its active lessons and messages (yours included)", tag: "books",
               answers: .json(.model(Book.self))) { _, context, principal in
            var book = try await Self.publishedBook(s, context.parameter("id"))
            book.lessons = try await s.books.lessons(bookID: book.id, workspaceID: principal.scope.workspaceID, activeOnly: true)
            return .json(book)
        }

        authed("POST", "/books/:id/participants",
               "Enroll contacts (contact_id | contact_ids) or workspace members (users: [{user_id, phone}]) from start_date (YYYY-MM-DD) in time_zone, in lesson_ids (default: all active lessons)",
               tag: "books", body: .json(Participant.enrollment), answers: .json(.model(ParticipantStore.Enrolled.self)), success: 201,
               creates: true) { request, context, principal in
            let book = try await Self.publishedBook(s, context.parameter("id"))
            let body = try JSONBody(request)
            let contacts: [String]
            if body.fields["users"] != nil {
                contacts = try await Self.memberContacts(s, principal.scope, body)
            } else {
                contacts = body.fields["contact_ids"] != nil ? try body.ids() : [try body.requiredString("contact_id", max: 64)]
            }
            let (startDate, timeZone) = try Self.startAndZone(body, required: true)
            let lessons = try await s.books.lessons(bookID: book.id, workspaceID: nil, activeOnly: true)
            let lessonIDs = try Self.lessonIDs(body, of: lessons) ?? lessons.map(\.id)
            let (ids, skipped) = try await s.participants.enroll(principal.scope, bookID: book.id, contactIDs: contacts, lessonIDs: lessonIDs,
                                                                 startDate: startDate!, timeZone: timeZone!, createdBy: principal.userID)
            try await s.study.replan(principal.scope, participantIDs: ids)
            var enrolled: [Participant] = []
            for id in ids { if let participant = try await s.participants.get(principal.scope, id: id) { enrolled.append(participant) } }
            return .json(ParticipantStore.Enrolled(enrolled: enrolled, skipped: skipped), status: 201)
        }

        list("/books/:id/participants", "The workspace's participants of a book, oldest first", tag: "books", of: .model(Participant.self),
             key: { Cursor($0.created_at, $0.id).key }) { _, context, principal, page in
            let book = try await Self.publishedBook(s, context.parameter("id"))
            return try await s.participants.list(principal.scope, bookID: book.id, page: page)
        }

        authed("GET", "/books/:id/analytics",
               "Participants (enrolled, active, paused, completed), delivery and replies, for the book and each lesson", tag: "books",
               answers: .json(.model(BookAnalytics.Report.self))) { _, context, principal in
            guard try await s.books.book(context.parameter("id")) != nil else { throw APIError.notFound("book") }
            let lessons = try await s.books.lessons(bookID: context.parameter("id"), workspaceID: nil, activeOnly: false)
            return .json(try await s.bookAnalytics.report(principal.scope, bookID: context.parameter("id"), lessons: lessons))
        }

        authed("POST", "/books/:id/lessons/:lessonId/messages", "Add the workspace's own message to a lesson, for its participants",
               tag: "books", body: .json(LessonMessage.body(creating: true, defaultType: LessonMessage.workspaceDefaultType)),
               answers: .json(.model(LessonMessage.self)), success: 201, creates: true) { request, context, principal in
            let book = try await Self.publishedBook(s, context.parameter("id"))
            guard let lesson = try await s.books.lesson(bookID: book.id, id: context.parameter("lessonId")), lesson.active else { throw APIError.notFound("lesson") }
            // A workspace's own messages are `custom` unless it says otherwise.
            let given = try JSONBody(request)
            let type = given.fields["type"] ?? .string(LessonMessage.workspaceDefaultType)
            let parsed = try LessonMessage.fields(JSONBody(fields: given.fields.merging(["type": type]) { $1 }), partial: false)
            let message = try await s.books.createMessage(lessonID: lesson.id, workspaceID: principal.scope.workspaceID, type: parsed.type!,
                                                          body: parsed.body!, dayOffset: parsed.dayOffset!, sendTime: parsed.sendTime!)
            try await s.study.replan(principal.scope, participantIDs: try await s.participants.activeIDs(principal.scope, bookID: book.id))
            return .json(message, status: 201)
        }

        authed("DELETE", "/books/:id/lessons/:lessonId/messages/:messageId", "Delete one of the workspace's own lesson messages",
               tag: "books", answers: .empty, success: 204) { _, context, principal in
            guard try await s.books.lesson(bookID: context.parameter("id"), id: context.parameter("lessonId")) != nil,
                  try await s.books.deleteMessage(lessonID: context.parameter("lessonId"), id: context.parameter("messageId"),
                                                  workspaceID: principal.scope.workspaceID) else { throw APIError.notFound("lesson message") }
            return Response(status: 204)
        }

        authed("GET", "/participants/:id", "A participant with each planned lesson message and its delivery status", tag: "books",
               answers: .json(.model(Participant.self))) { _, context, principal in
            guard let participant = try await s.participants.get(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("participant") }
            return .json(participant)
        }

        authed("PATCH", "/participants/:id",
               "Pause (status paused), resume (active), or change lesson_ids, start_date, time_zone: what has not been sent is rescheduled",
               tag: "books", body: .json(Participant.change), answers: .json(.model(Participant.self))) { request, context, principal in
            let id = context.parameter("id")
            guard let participant = try await s.participants.get(principal.scope, id: id) else { throw APIError.notFound("participant") }
            let body = try JSONBody(request)
            let status = try body.choice("status", Participant.changeableStatuses)
            let (startDate, timeZone) = try Self.startAndZone(body, required: false)
            let lessons = try await s.books.lessons(bookID: participant.book_id, workspaceID: nil, activeOnly: true)
            let lessonIDs = try Self.lessonIDs(body, of: lessons)
            guard participant.status != "canceled" else { throw APIError.conflict("the participant was removed; enroll the contact again") }
            try await s.participants.update(principal.scope, id: id, status: status, lessonIDs: lessonIDs, startDate: startDate, timeZone: timeZone)
            try await s.study.replan(principal.scope, participantIDs: [id])
            return .json(try await s.participants.get(principal.scope, id: id)!)
        }

        authed("DELETE", "/participants/:id", "Remove a participant: its pending lesson messages are canceled; answers it, canceled", tag: "books",
               answers: .json(.model(Participant.self))) { _, context, principal in
            let id = context.parameter("id")
            guard try await s.participants.get(principal.scope, id: id) != nil else { throw APIError.notFound("participant") }
            try await s.participants.update(principal.scope, id: id, status: "canceled", lessonIDs: nil, startDate: nil, timeZone: nil)
            try await s.study.replan(principal.scope, participantIDs: [id])
            return .json(try await s.participants.get(principal.scope, id: id)!)
        }
    }

    /// The contacts that carry enrolled workspace members' messages: the contact with the member's phone,
    /// or a new one named after the member. A user who is not a member of the workspace is a 404.
    static func memberContacts(_ s: StudyBooksDomain, _ scope: TenantScope, _ body: JSONBody) async throws -> [String] {
        guard let items = body.fields["users"]?.arrayValue, !items.isEmpty, items.count <= 1000 else {
            throw APIError.invalidField("users", "must be an array of 1...1000 {user_id, phone}")
        }
        var ids: [String] = []
        for item in items {
            let entry = JSONBody(fields: item.objectValue ?? [:])
            let userID = try entry.requiredString("user_id", max: 64)
            guard let member = try await s.workspaces.member(scope, userID: userID) else { throw APIError.notFound("member \(userID)") }
            let phone = try ContactInput.phone(try entry.requiredString("phone", max: 40), defaultCountry: s.defaultCountry, field: "users.phone")
            if let existing = try await s.contacts.database.prepare("SELECT id FROM contacts WHERE workspace_id = ? AND phone = ?")
                .bind(scope.workspaceID, phone).first()?.text("id") {
                ids.append(existing)
                continue
            }
            var input = ContactInput()
            input.phone = phone
            input.name = member.name ?? member.email ?? "Member"
            input.email = .some(member.email)
            input.source = "api"
            ids.append(try await s.contacts.create(scope, input).id)
        }
        return ids
    }

    /// A book workspaces may see: published and active; anything else is a 404.
    static func publishedBook(_ s: StudyBooksDomain, _ id: String) async throws -> Book {
        guard let book = try await s.books.book(id), book.published, book.active else { throw APIError.notFound("book") }
        return book
    }

    static func startAndZone(_ body: JSONBody, required: Bool) throws -> (String?, String?) {
        let start = required ? try body.requiredString("start_date", max: 10) : try body.string("start_date", max: 10)
        if let start, CivilDate.day(start) == nil { throw APIError.invalidField("start_date", "must be a date, YYYY-MM-DD") }
        let zone = required ? try body.requiredString("time_zone", max: 64) : try body.string("time_zone", max: 64)
        if let zone, !TimeZoneName.isKnown(zone) { throw APIError.invalidField("time_zone", "'\(zone)' is not an IANA time zone (like America/New_York)") }
        return (start, zone)
    }

    /// `lesson_ids` (the schema made it a non-empty array of ids), each an active lesson of the book: an id
    /// that names none is a 404, as a member who is not one is.
    static func lessonIDs(_ body: JSONBody, of lessons: [Lesson]) throws -> [String]? {
        guard let items = body.fields["lesson_ids"]?.arrayValue else { return nil }
        let known = Set(lessons.map(\.id))
        return try items.compactMap(\.stringValue).map { id in
            guard known.contains(id) else { throw APIError.notFound("lesson \(id) of this book") }
            return id
        }
    }
}

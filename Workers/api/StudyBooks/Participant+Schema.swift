import OzziRuntime

extension Participant: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("par_01jd3k5v7n0000000000000000")),
        .required("book_id", Schema.string().example("bok_01jd3k5v7n0000000000000000")),
        .required("contact_id", Schema.string().example("con_01jd3k5v7n0000000000000000")),
        // A plain string: zones stored before the list was enforced are answered as they are.
        .required("time_zone", Schema.string().example("America/New_York").described("An IANA time zone name")),
        .required("start_date", CivilDate.schema),
        .required("lesson_ids", Schema.array(Schema.string().example("les_01jd3k5v7n0000000000000000"))),
        .required("status", .oneOf(statuses)),
        .required("created_by", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("messages", Schema.array(.model(PlannedMessage.self)).described("Only when one participant is read or changed")),
    ], closed: true)

    /// Enrolling in a book: one of `contact_id`, `contact_ids` or `users` (workspace members, each reached
    /// through the contact with its phone), from `start_date` in `time_zone`.
    static let enrollment = Schema.object([
        .optional("contact_id", Schema.text(max: 64).example("con_01jd3k5v7n0000000000000000")),
        .optional("contact_ids", Schema.array(.string(), min: 1, max: 10_000).example(["con_01jd3k5v7n0000000000000000"])),
        .optional("users", Schema.array(.object([
            .required("user_id", Schema.text(max: 64).example("usr_01jd3k5v7n0000000000000000")),
            .required("phone", Schema.string(min: 1, max: 40, format: "phone").example("+12025550143")
                .described("E.164, or a national number of the workspace's country")),
        ]), min: 1, max: 1000).described("Workspace members: each is enrolled through the contact with that phone (created if none)")),
        .required("start_date", CivilDate.schema.described("Day 0 of the plan")),
        .required("time_zone", .model(TimeZoneName.self)),
        .optional("lesson_ids", lessonIDs.described("Active lessons of the book (default: all of them); an id that names none is a 404")),
    ], exactlyOne: [["contact_id", "contact_ids", "users"]])

    /// A change of plan: pause or resume, other lessons, another start or zone; `{}` changes nothing.
    static let change = Schema.object([
        .optional("status", Schema.oneOf(changeableStatuses).nullable.described("paused stops its sends; active plans what is ahead again")),
        .optional("lesson_ids", lessonIDs.nullable),
        .optional("start_date", CivilDate.schema.nullable),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable),
    ])

    private static let lessonIDs = Schema.array(Schema.text(max: 64).example("les_01jd3k5v7n0000000000000000"), min: 1)
}

extension Participant.PlannedMessage: APIModel {
    static let schemaName = "PlannedLessonMessage"
    static let schema = Schema.object([
        .required("lesson_id", Schema.string().example("les_01jd3k5v7n0000000000000000")),
        .required("lesson_message_id", Schema.string().example("lsm_01jd3k5v7n0000000000000000")),
        .required("type", .oneOf(LessonMessage.types)),
        .required("message_id", Schema.string().example("msg_01jd3k5v7n0000000000000000").described("The scheduled SMS")),
        .required("scheduled_at", .timestamp),
        .required("status", .oneOf(MessageStatus.allCases.map(\.rawValue))),
        .optional("sent_at", .timestamp),
        .optional("delivered_at", .timestamp),
    ], closed: true)
}

extension ParticipantStore.Enrolled: APIModel {
    static let schemaName = "Enrollment"
    static let schema = Schema.object([
        .required("enrolled", .array(.model(Participant.self))),
        .required("skipped", Schema.array(.object([
            .required("contact_id", Schema.string().example("con_01jd3k5v7n0000000000000000")),
            .required("reason", .oneOf(ParticipantStore.skipReasons)),
        ], closed: true)).described("Contacts not enrolled, and why")),
    ], closed: true)
}

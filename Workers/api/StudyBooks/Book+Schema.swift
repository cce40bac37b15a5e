import OzziRuntime

extension Book: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("bok_01jd3k5v7n0000000000000000")),
        .required("title", Schema.string().example("Psalms in Spring")),
        .required("description", Schema.string().example("Two weeks with the Psalms")),
        .required("cover_text", .string()),
        .required("active", Schema.boolean.described("False hides the book and cancels its participants' pending sends")),
        .required("published", Schema.boolean.described("Offered to workspaces (when active too)")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("lessons", Schema.array(.model(Lesson.self)).described("In order; only in the answer for one book")),
    ], closed: true)

    /// A book as a body: `title` to create one; any field to change one.
    static func body(creating: Bool) -> Schema {
        let title = Schema.text(max: 200).example("Psalms in Spring")
        var fields: [Property] = [
            creating ? .required("title", title) : .optional("title", title.nullable),
            .optional("description", Schema.string(max: 5000).nullable.example("Two weeks with the Psalms")),
            .optional("cover_text", Schema.string(max: 2000).nullable),
            .optional("published", Schema.boolean.nullable.described("Offer it to workspaces (default false)")),
        ]
        if !creating {
            fields.append(.optional("active", Schema.boolean.nullable.described("False cancels its participants' pending sends; true replans them")))
        }
        return .object(fields)
    }
}

extension Lesson: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("les_01jd3k5v7n0000000000000000")),
        .required("book_id", Schema.string().example("bok_01jd3k5v7n0000000000000000")),
        .required("position", Schema.integer(min: 0).described("Lessons are in ascending position")),
        .required("title", Schema.string().example("The Shepherd")),
        .required("content", .string()),
        .required("active", .boolean),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("messages", Schema.array(.model(LessonMessage.self)).described("Only when read with its book")),
    ], closed: true)

    /// A lesson as a body: `title` to create one (appended unless `position` says where); any field to change one.
    static func body(creating: Bool) -> Schema {
        let title = Schema.text(max: 200).example("The Shepherd")
        var fields: [Property] = [
            creating ? .required("title", title) : .optional("title", title.nullable),
            .optional("content", Schema.string(max: 20_000).nullable),
            .optional("position", Schema.integer(0...99_999).nullable),
        ]
        if !creating {
            fields.append(.optional("active", Schema.boolean.nullable.described("False cancels its pending sends; true replans them")))
        }
        return .object(fields)
    }
}

extension LessonMessage: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("lsm_01jd3k5v7n0000000000000000")),
        .required("lesson_id", Schema.string().example("les_01jd3k5v7n0000000000000000")),
        .optional("workspace_id", Schema.string().example("wsp_01jd3k5v7n0000000000000000")
            .described("Set on a workspace's own message; absent on the book's")),
        .required("type", .oneOf(types)),
        .required("body", Schema.string().example("Read Psalm 23 today, {{first_name}}")),
        .required("day_offset", .integer(0...3650)),
        .required("send_time", Schema.string(pattern: sendTimePattern).example("09:00")),
    ], closed: true)

    /// A lesson message as a body: `type` (unless it has a default), `body`, `day_offset` and `send_time` to
    /// create one; any of them to change one.
    static func body(creating: Bool, defaultType: String? = nil) -> Schema {
        let fields: [(String, Schema)] = [
            ("type", Schema.oneOf(types).described(defaultType.map { "Default \($0)" } ?? "What kind of message it is")),
            ("body", Schema.text(max: 1600).example("Read Psalm 23 today, {{first_name}}")
                .described("The text; {{name}}, {{first_name}}, {{last_name}}, {{phone}}, {{email}} and {{custom.<field>}} are filled in per contact")),
            ("day_offset", Schema.integer(0...3650).example(2).described("Days after the participant's start date")),
            ("send_time", Schema.string(pattern: sendTimePattern).example("09:00").patternMeaning("HH:MM (24-hour, the participant's local time)")
                .described("HH:MM, 24-hour, in the participant's time zone")),
        ]
        return .object(fields.map { name, schema in
            guard creating else { return .optional(name, schema.nullable) }
            return name == "type" && defaultType != nil ? .optional(name, schema) : .required(name, schema)
        })
    }
}

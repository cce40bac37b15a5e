import OzziRuntime

extension Series: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("ser_01jd3k5v7n0000000000000000")),
        .required("channel", .oneOf(MessageChannel.allCases.map(\.rawValue))),
        .required("state", Schema.oneOf(State.allCases.map(\.rawValue))
            .described("active: plans each next occurrence as the one before goes out; stopped: by the workspace, or its contact was deleted; finished: its rule has no more")),
        .optional("stopped_reason", Schema.oneOf(["stopped", "contact_deleted", "rule_invalid"])
            .described("stopped: by the workspace; contact_deleted: its contact is gone; rule_invalid: its rule no longer reads (a time zone the host no longer knows)")),
        .required("recurrence", RecurrenceRule.answerSchema),
        .optional("contact_id", .string()),
        .required("to", Schema.string().example("+12025550143").described("The address when it was made; occurrences to a contact go to its address at the time")),
        .optional("template_id", .string()),
        .optional("body", Schema.string().example("Choir practice tonight at 7, {{first_name}}!")),
        .optional("content_id", Schema.string().described("Email: the content the occurrences not sent yet go out with")),
        .optional("variables", .dictionary(.string())),
        .required("category", .string()),
        .optional("campaign", .string()),
        .required("occurrences_planned", .integer(min: 0)),
        .required("occurrences_sent", Schema.integer(min: 0).described("Occurrences the provider took (sent, delivered or undelivered)")),
        .optional("next_at", Schema.timestamp.described("When the pending occurrence is due")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("occurrences", Schema.array(.object([
            .required("number", .integer(min: 1)),
            .required("message_id", Schema.string().described("The message (or email) that is this occurrence")),
            .required("scheduled_at", .timestamp),
            .required("status", .oneOf(MessageStatus.allCases.map(\.rawValue))),
        ], closed: true)).described("One series only: its latest \(SeriesStore.occurrencesShown) occurrences, newest first")),
    ], closed: true)

    static let parameters: [Parameter] = [
        .query("state", .oneOf(State.allCases.map(\.rawValue)), "Only series in this state"),
        .query("channel", .oneOf(MessageChannel.allCases.map(\.rawValue)), "Only series of this channel"),
        .query("contact_id", .string(max: 64), "Only series to this contact"),
    ]

    /// `PATCH /series/:id`: what is not sent yet changes.
    static let change = Schema.object([
        .optional("recurrence", RecurrenceRule.schema(change: true)
            .described("Without frequency, the fields given replace the rule's; with it, the rule starts over from them")),
        .optional("body", Schema.string(min: 1, max: 1600, pattern: TemplateText.pattern).described("SMS: the text (instead of a template)")),
        .optional("template_id", Schema.text(max: 64).described("SMS: a template (instead of a text)")),
        .optional("subject", Schema.string(min: 1, max: 998).described("Email: the subject")),
        .optional("html", Schema.string(min: 1, max: 512_000).described("Email: the HTML part")),
        .optional("text", Schema.string(min: 1, max: 512_000).described("Email: the text part")),
        .optional("variables", Schema.dictionary(Schema.string(max: 2000), max: 100).nullable),
    ], atLeastOne: [["recurrence", "body", "template_id", "subject", "html", "text", "variables"]])
}

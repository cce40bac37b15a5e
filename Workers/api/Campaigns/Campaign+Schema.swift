import OzziRuntime

extension Campaign: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("cmp_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Spring appeal")),
        .required("channel", .oneOf(MessageChannel.allCases.map(\.rawValue))),
        .required("state", .oneOf(CampaignState.allCases.map(\.rawValue))),
        .optional("state_reason", Schema.string().example("paused automatically: 100 sends failed (threshold 100)")),
        .required("audience", audience),
        .required("content", content),
        .optional("send_at", .timestamp),
        .required("throttle_per_second", .integer(1...10_000)),
        .required("error_threshold", .integer(1...1_000_000)),
        .required("recipients", Schema.integer(min: 0).described("Messages made so far (the audience is expanded as the campaign runs)")),
        .required("expanded", Schema.boolean.described("Every recipient has its message")),
        .optional("stats", .model(CampaignStats.self)),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("started_at", .timestamp),
        .optional("finished_at", .timestamp),
    ], closed: true)

    /// An instant in UTC, as contacts store theirs.
    static let utcInstant = Schema.string(
        pattern: #"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,3})?Z$"#,
        format: "date-time").example("2026-12-01T09:30:00.000Z")

    /// One of three kinds, told apart by `type`.
    static let audience: Schema = {
        let optedInOnly = Property.optional("opted_in_only", Schema.boolean.described(
            "Only contacts who opted in to the channel. Without it, contacts whose consent is unknown are included; opted-out ones never are"))
        let filter = Schema.object([
            .optional("group_id", Schema.text(max: 64).described("Members of this group")),
            .optional("consent", Schema.oneOf(Contact.consentStates).described("This SMS consent")),
            .optional("source", .oneOf(Contact.sources)),
            .optional("custom", Schema.dictionary(.string(max: 200), max: 20).example(["plan": "gold"]).described("Custom fields with these values")),
            .optional("created_after", utcInstant), .optional("created_before", utcInstant),
            .optional("updated_after", utcInstant), .optional("updated_before", utcInstant),
        ], closed: true).described("The filters of GET /contacts, saved: the contacts matching all of them when each batch is expanded")
        return Schema.oneOf([
            .object([.required("type", .oneOf(["groups"])), .required("group_ids", Schema.array(.string(min: 1, max: 64), min: 1, max: 100)
                .example(["grp_01jd3k5v7n0000000000000000"]).described("Members of any of these groups")), optedInOnly], closed: true),
            .object([.required("type", .oneOf(["filter"])), .required("filter", filter), optedInOnly], closed: true),
            .object([.required("type", .oneOf(["all"])), optedInOnly], closed: true),
        ]).example(["type": "groups", "group_ids": ["grp_01jd3k5v7n0000000000000000"], "opted_in_only": false])
            .described("Who gets it (type groups, filter or all), of the contacts with a phone (SMS) or an email address (email) whose consent for the channel is not opted_out")
    }()

    /// An SMS campaign's content: a template or a body.
    static let smsContent = Schema.object([
        .optional("template_id", Schema.text(max: 64)),
        .optional("body", Schema.string(min: 1, max: 1600, pattern: TemplateText.pattern).example("Hi {{first_name|there}}, our spring sale starts today!")
            .described("The text, with {{variables}}")),
    ], exactlyOne: [["template_id", "body"]], closed: true).described("SMS: body or template_id")
        .example(["body": "Hi {{first_name|there}}, our spring sale starts today!"])

    /// `a@b.example` or `Name <a@b.example>`.
    static let sender = MailAddress.schema.example("Hope Church <news@hope.example>")

    /// An email campaign's content: sender, subject, HTML and/or text, and what is tracked.
    static let emailContent = Schema.object([
        .optional("from", sender.described("The sender, on a verified domain of the workspace; default: the workspace's default_from")),
        .optional("reply_to", sender),
        .required("subject", Schema.string(min: 1, max: 998, pattern: TemplateText.pattern).example("Spring news, {{first_name|friend}}")),
        .optional("html", Schema.string(min: 1, max: 1_000_000, pattern: TemplateText.pattern).example("<p>Hi {{first_name|friend}}</p>")),
        .optional("text", Schema.string(min: 1, max: 1_000_000, pattern: TemplateText.pattern)),
        .optional("track_opens", Schema.boolean.described("Count opens (a pixel); default false")),
        .optional("track_clicks", Schema.boolean.described("Count clicks (links through us); default false")),
    ], atLeastOne: [["html", "text"]], closed: true).described("Email: subject, html and/or text, from (variables are HTML-escaped in html)")
        .example(["from": "Hope Church <news@hope.example>", "subject": "Spring news, {{first_name|friend}}", "html": "<p>Hi {{first_name|friend}}</p>",
                  "track_opens": true, "track_clicks": false])

    static let content = Schema.oneOf([smsContent, emailContent]).example(["body": "Hi {{first_name|there}}, our spring sale starts today!"])

    /// The body of `POST /campaigns`: an SMS or an email campaign, each with its content.
    static let creating: Schema = {
        func variant(_ channel: MessageChannel, _ content: Schema) -> Schema {
            .object([
                .required("name", Schema.text(max: 200).example("Spring appeal")),
                .required("channel", .oneOf([channel.rawValue])),
                .required("audience", audience),
                .required("content", content),
            ] + settings, zonedTimes: [MessageScheduler.sendAtZone], closed: true)
        }
        return Schema.oneOf([variant(.sms, smsContent), variant(.email, emailContent)]).example([
            "name": "Spring appeal", "channel": "sms", "audience": ["type": "groups", "group_ids": ["grp_01jd3k5v7n0000000000000000"]],
            "content": ["body": "Hi {{first_name|there}}, our spring sale starts today!"], "send_at": "2026-12-01T14:00:00Z", "throttle_per_second": 20,
        ])
    }()

    /// The body of `PATCH /campaigns/:id`: the content must be of the campaign's channel (409 otherwise).
    static let changing = Schema.object([
        .optional("name", Schema.text(max: 200)),
        .optional("channel", Schema.oneOf(MessageChannel.allCases.map(\.rawValue)).described("Fixed at creation: another is a 409")),
        .optional("audience", audience),
        .optional("content", content.described("Replaces the content as a whole")),
    ] + settings, zonedTimes: [MessageScheduler.sendAtZone], closed: true)

    private static let settings: [Property] = [
        .optional("send_at", MessageScheduler.scheduleTime.nullable.described("When a scheduled campaign starts")),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable.described("For a send_at without an offset")),
        .optional("throttle_per_second", Schema.integer(1...10_000).described("Messages per second (default 50); the workspace's send rate limits apply too")),
        .optional("error_threshold", Schema.integer(1...1_000_000).described("Failed sends after which it pauses itself (default 100)")),
    ]

    /// The body of `POST /campaigns/:id/schedule`.
    static let scheduleInput = Schema.object([
        .optional("send_at", MessageScheduler.scheduleTime.described("When it starts; default the campaign's send_at")),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable),
    ], zonedTimes: [MessageScheduler.sendAtZone], closed: true)

    static let listFilters: [Parameter] = [
        .query("state", .oneOf(CampaignState.allCases.map(\.rawValue)), "Only campaigns in this state"),
        .query("channel", .oneOf(MessageChannel.allCases.map(\.rawValue)), "Only campaigns on this channel"),
    ]
}

extension CampaignStats: APIModel {
    static let schema = Schema.object(
        ["recipients", "pending", "sent", "delivered", "failed", "bounced", "opened", "clicked", "unsubscribed", "complained", "canceled", "review"]
            .map { .required($0, .integer(min: 0)) }, closed: true)
        .described("Counted from the campaign's messages: pending = not sent yet; sent = taken by the provider; failed = not sent, or undelivered (SMS); opened counts clicks too; unsubscribed = opted out of the channel after the message was sent")
}

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

    static let audience = Schema.object([
        .optional("group_ids", Schema.array(.string(min: 1, max: 64), min: 1, max: 100).example(["grp_01jd3k5v7n0000000000000000"])
            .described("Members of any of these groups")),
        .optional("filter", Schema.string(max: 2000).example("consent=opted_in&custom.plan=gold")
            .described("A saved contact filter: the query string of GET /contacts (group_id, consent, source, custom.<key>, created_/updated_after/before), no q or prefix")),
        .optional("all", Schema.boolean.described("true: every contact")),
        .optional("opted_in_only", Schema.boolean.described(
            "Only contacts who opted in to the channel. Without it, contacts whose consent is unknown are included; opted-out ones never are")),
    ], exactlyOne: [["group_ids", "filter", "all"]], closed: true)
        .described("Who gets it: contacts with a phone (SMS) or an email address (email) whose consent for the channel is not opted_out")

    static let content = Schema.object([
        .optional("template_id", Schema.text(max: 64)),
        .optional("body", Schema.string(min: 1, max: 1600, pattern: TemplateText.pattern).example("Hi {{first_name|there}}, our spring sale starts today!")
            .described("SMS: the text, with {{variables}}")),
        .optional("from", Schema.string(min: 3, max: 320).example("Hope Church <news@hope.example>").described("Email: the sender, on a verified domain")),
        .optional("reply_to", Schema.string(min: 3, max: 320).nullable),
        .optional("subject", Schema.string(min: 1, max: 998).example("Spring news, {{first_name|friend}}")),
        .optional("html", Schema.string(max: 1_000_000)),
        .optional("text", Schema.string(max: 1_000_000)),
        .optional("track_opens", .boolean),
        .optional("track_clicks", .boolean),
    ], closed: true).described("SMS: body or template_id. Email: from, and subject with html and/or text, or template_id; tracking switches")

    /// The body of `POST /campaigns` (`creating`) and `PATCH /campaigns/:id`.
    static func input(creating: Bool) -> Schema {
        let name = Schema.text(max: 200).example("Spring appeal")
        let channel = Schema.oneOf(MessageChannel.allCases.map(\.rawValue))
        return .object([
            creating ? .required("name", name) : .optional("name", name),
            creating ? .required("channel", channel) : .optional("channel", channel.described("Fixed at creation")),
            creating ? .required("audience", audience) : .optional("audience", audience),
            creating ? .required("content", content) : .optional("content", content.described("Replaces the content as a whole")),
            .optional("send_at", MessageScheduler.scheduleTime.nullable.described("When a scheduled campaign starts")),
            .optional("time_zone", Schema.model(TimeZoneName.self).nullable.described("For a send_at without an offset")),
            .optional("throttle_per_second", Schema.integer(1...10_000).described("Messages per second (default 50); the workspace's send rate limits apply too")),
            .optional("error_threshold", Schema.integer(1...1_000_000).described("Failed sends after which it pauses itself (default 100)")),
        ], closed: true)
    }

    /// The body of `POST /campaigns/:id/schedule`.
    static let scheduleInput = Schema.object([
        .optional("send_at", MessageScheduler.scheduleTime.described("When it starts; default the campaign's send_at")),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable),
    ], closed: true)

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

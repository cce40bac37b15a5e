import OzziRuntime

extension Message: APIModel {
    /// Why a message (or an email) failed or waits for review.
    static let errorSchema = Schema.object([.required("code", .string()), .required("message", .string())], closed: true)

    /// Optional fields are absent, not null, when they have no value (the encoder skips nils).
    static let schema = Schema.object([
        .required("id", Schema.string().example("msg_01jd3k5v7n0000000000000000")),
        .optional("contact_id", Schema.string().example("con_01jd3k5v7n0000000000000000")),
        .required("to", Schema.string(format: "phone").example("+12025550143")),
        .optional("template_id", .string()),
        .optional("body", Schema.string().example("Hi {{first_name}}, see you at 6pm!").described("The text as scheduled, variables unfilled")),
        .optional("sent_text", Schema.string().described("The text as sent, variables filled")),
        .required("scheduled_at", .timestamp),
        .optional("time_zone", Schema.string().example("America/New_York")),
        .required("category", Schema.string().example("general")),
        .optional("campaign", .string()),
        .required("status", .oneOf(MessageStatus.allCases.map(\.rawValue))),
        .required("attempts", .integer(min: 0)),
        .optional("provider", Schema.string().example("simulated")),
        .optional("provider_message_id", .string()),
        .optional("error", Message.errorSchema),
        .optional("sent_at", .timestamp),
        .optional("delivered_at", .timestamp),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("timeline", Schema.array(.model(MessageEvent.self)).described("Attempts and status changes, oldest first (one message only)")),
    ], closed: true)
}

extension MessageEvent: APIModel {
    static let schema = Schema.object([
        .required("at", .timestamp),
        .required("kind", .oneOf(["status", "attempt"])),
        .required("result", Schema.string().example("delivered")),
        .optional("provider", .string()),
        .optional("provider_message_id", .string()),
        .optional("error_code", .string()),
        .optional("error_message", .string()),
    ], closed: true)
}

extension MessageScheduler.Scheduled: APIModel {
    static let schemaName = "ScheduledMessages"
    static let schema = Schema.object([
        .required("scheduled", .integer(min: 0)),
        .required("ids", Schema.array(.string()).example(["msg_01jd3k5v7n0000000000000000"])),
        .required("skipped", .array(.object([
            .required("contact_id", .string()), .required("reason", .oneOf(["opted_out", "not_found", "no_phone"])),
        ], closed: true))),
        .required("scheduled_at", .timestamp),
        .optional("message", .model(Message.self)),
        .optional("series_id", Schema.string().described("With a recurrence: the series (GET /series/{id}) this message is the first occurrence of")),
    ], closed: true)
}

extension MessageScheduler {
    /// When a message is due, as `ScheduleTime.Parts` reads it: `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH[:MM]]`.
    static let scheduleTime = Schema.string(
        max: 40, pattern: #"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$"#,
        format: "schedule-time"
    ).example("2026-12-01T14:00:00Z")
        .described("An instant with Z or an offset, or a local time with time_zone; at most a year ahead; absent or empty sends now")

    /// A local `scheduled_at` (or a campaign's `send_at`) is read in the body's `time_zone`, which it then needs.
    static let scheduledAtZone = ZonedTime(time: "scheduled_at", zone: "time_zone")
    static let sendAtZone = ZonedTime(time: "send_at", zone: "time_zone")

    /// A message to schedule: exactly one recipient field, and exactly one of body and template_id.
    static let input = Schema.object([
        .optional("contact_id", Schema.text(max: 64).example("con_01jd3k5v7n0000000000000000")),
        .optional("contact_ids", .idList),
        .optional("group_id", Schema.text(max: 64)),
        .optional("body", Schema.string(min: 1, max: 1600, pattern: TemplateText.pattern).example("Hi {{first_name|there}}, see you at 6pm!")),
        .optional("template_id", Schema.text(max: 64)),
        .optional("scheduled_at", scheduleTime.nullable),
        .optional("time_zone", Schema.model(TimeZoneName.self).nullable),
        .optional("category", Schema.string(max: 50).nullable.example("general")),
        .optional("campaign", Schema.string(max: 100).nullable),
        .optional("recurrence", RecurrenceRule.schema().nullable.described("Repeat the send to one contact_id, by this rule (see /series); not with scheduled_at")),
    ], exactlyOne: [["contact_id", "contact_ids", "group_id"], ["body", "template_id"]],
       atMostOne: [["recurrence", "scheduled_at"], ["recurrence", "contact_ids", "group_id"]], zonedTimes: [scheduledAtZone])
}

extension MessageStats.Report: APIModel {
    static let schemaName = "DeliveryStats"
    static let schema: Schema = {
        let counts = Schema.object([
            .required("total", .integer(min: 0)),
            .required("by_status", Schema.dictionary(.integer(min: 0)).example(["delivered": 12, "failed": 1])),
            .optional("success_rate", Schema.number(0...1).described("Delivered (or sent) out of those with an outcome")),
        ], closed: true)
        let group = Schema.object([.optional("name", .string()), .required("counts", counts)], closed: true)
        return .object([
            .required("window", .oneOf(MessageStats.windows.keys.sorted())),
            .optional("since", .timestamp),
            .required("counts", counts),
            .required("by_category", .array(group)),
            .required("by_campaign", .array(group)),
            .optional("latency_ms", .object([.required("sent", .integer(min: 0)), .optional("p50", .integer()), .optional("p99", .integer()),
                                             .optional("max", .integer())], closed: true)),
            .optional("failures_by_code", .dictionary(.integer(min: 0))),
            .optional("backlog", .object([.required("due", .integer(min: 0)), .required("scheduled", .integer(min: 0)),
                                          .required("sending", .integer(min: 0)), .required("review", .integer(min: 0))], closed: true)),
        ], closed: true)
    }()

    static let windowParameter = Parameter.query("window", .oneOf(MessageStats.windows.keys.sorted()), "The span looked at, over when messages were created (default 24h)")
}

extension MessageFilter {
    static let parameters: [Parameter] = [
        .query("status", .oneOf(MessageStatus.allCases.map(\.rawValue)), "Only messages in this status"),
        .query("campaign", .string(max: 100), "Only this campaign's messages"),
        .query("category", .string(max: 50), "Only this category"),
        .query("contact_id", .string(max: 64), "Only messages to this contact"),
    ]

    /// A bulk action's `filter`: at least one of its fields.
    static let schema = Schema.object([
        .optional("status", .oneOf(MessageStatus.allCases.map(\.rawValue))),
        .optional("campaign", .string(max: 256)), .optional("category", .string(max: 256)), .optional("contact_id", .string(max: 256)),
    ], atLeastOne: [["status", "campaign", "category", "contact_id"]])
}

extension ExternalDelivery.Leased: APIModel {
    static let schemaName = "LeasedMessage"
    static let schema = Schema.object([
        .required("id", Schema.string().example("msg_01jd3k5v7n0000000000000000")),
        .optional("contact_id", .string()),
        .required("to", Schema.string(format: "phone").example("+12025550143")),
        .required("text", Schema.string().example("Hi Ada, see you at 6pm!")),
        .required("scheduled_at", .timestamp),
        .required("attempt", .integer(min: 1)),
        .required("lease_expires_at", .timestamp),
    ], closed: true)
}

extension ExternalDelivery.Stats: APIModel {
    static let schemaName = "ExternalDeliveryStats"
    static let schema = Schema.object(
        ["due", "leased", "expired_leases", "sent_24h", "delivered_24h", "failed_24h"].map { .required($0, .integer(min: 0)) }, closed: true)
}

extension SMSSettings.JSONValueShape: APIModel {
    static let schemaName = "SMSSettings"
    static let schema = Schema.object([
        .required("provider", .oneOf(SMSSettings.providers)),
        .optional("from_number", Schema.string(format: "phone").example("+12025550143")),
        .optional("messaging_service_sid", .string()),
        .optional("account_sid", .string()),
        .required("auth_token_set", .boolean),
        .required("help_text", Schema.string().example(.string(SMSSettings.defaultHelpText))),
    ], closed: true)

    /// The body of `PUT /sms/settings`: Twilio needs its account, and a sender number or messaging service.
    static var input: Schema {
        let number = Schema.string(min: 1, max: 40, format: "phone").example("+12025550143")
        let help = Property.optional("help_text", Schema.string(max: 320).nullable)
        return .oneOf([
            .object([.required("provider", .oneOf(["simulated", "external"])), help,
                     .optional("from_number", number.nullable), .optional("messaging_service_sid", Schema.string(max: 64).nullable),
                     .optional("account_sid", Schema.string(max: 64).nullable), .optional("auth_token", Schema.string(max: 128).nullable)]),
            // Null is no sender here: one of the two must be a value.
            .object([.required("provider", .oneOf(["twilio"])), help,
                     .optional("from_number", number), .optional("messaging_service_sid", Schema.string(min: 1, max: 64)),
                .required("account_sid", Schema.string(pattern: "^AC[0-9a-f]{32}$").example("AC0123456789abcdef0123456789abcdef")),
                .optional("auth_token", Schema.string(min: 1, max: 128).nullable.described("Omitted: the stored one is kept")),
            ], atLeastOne: [["from_number", "messaging_service_sid"]]),
        ])
    }
}

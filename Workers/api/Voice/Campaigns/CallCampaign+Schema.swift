import OzziRuntime

extension CallCampaign: APIModel {
    static var schemaName: String { "CallCampaign" }

    static let schema = Schema.object([
        .required("id", Schema.string().example("ccmp_01jd3k5v7n0000000000000000")),
        .required("name", Schema.text(max: 200)),
        .required("number_id", Schema.string().described("The voice number that calls")),
        .required("context_id", Schema.string().nullable.described("The call context rendered for each contact")),
        .required("context", Schema.string().nullable.described("Or the same words for every call")),
        .required("audience", Campaign.audience),
        .required("calling_window", BusinessHours.schema.described("When contacts may be called, in each contact's local time")),
        .required("calls_per_second", Schema.integer(limits.cps)),
        .required("max_concurrent", Schema.integer(limits.concurrent)),
        .required("max_attempts", Schema.integer(limits.attempts)),
        .required("retry_delay_seconds", Schema.integer(limits.retryDelay)),
        .required("state", Schema.oneOf(CampaignState.allCases.map(\.rawValue))),
        .required("state_reason", Schema.string().nullable),
        .required("send_at", Schema.timestamp.nullable),
        .required("created_by", Schema.string()),
        .required("created_at", .timestamp), .required("updated_at", .timestamp),
        .required("started_at", Schema.timestamp.nullable), .required("finished_at", Schema.timestamp.nullable),
        .optional("stats", CallCampaignStats.schema.described("One campaign's answer only")),
    ], closed: true)

    /// What may be set, and its bounds: Twilio accounts start at one call a second.
    enum limits {
        static let cps = 1...10
        static let concurrent = 1...50
        static let attempts = 1...5
        static let retryDelay = 30...86_400
    }

    static func body(creating: Bool) -> Schema {
        func field(_ name: String, _ schema: Schema) -> Property { creating ? .required(name, schema) : .optional(name, schema) }
        return Schema.object([
            field("name", Schema.text(max: 200).example("Appointment reminders")),
            field("number_id", Schema.string(min: 1, max: 64).example("vnum_01jd3k5v7n0000000000000000").described("One of the workspace's voice numbers")),
            .optional("context_id", Schema.string(min: 1, max: 64).nullable.described("One of the workspace's call contexts, rendered for each contact")),
            .optional("context", Schema.string(min: 1, max: 4_000).nullable.example("Remind the contact of their appointment tomorrow.")),
            field("audience", Campaign.audience),
            field("calling_window", BusinessHours.schema.described("When contacts may be called, open on at least one day: its time_zone is used "
                                                                   + "for contacts without a valid time_zone custom field")),
            .optional("calls_per_second", Schema.integer(limits.cps).described("Calls started per second (Twilio's default limit is 1); default 1")),
            .optional("max_concurrent", Schema.integer(limits.concurrent).described("Calls at once; default 5")),
            .optional("max_attempts", Schema.integer(limits.attempts).described("Calls per contact, counting retries after busy or no answer; default 2")),
            .optional("retry_delay_seconds", Schema.integer(limits.retryDelay).described("Before calling again after busy or no answer; default 3600")),
            .optional("send_at", Schema.timestamp.nullable.described("When a scheduled campaign starts")),
        ], atMostOne: [["context", "context_id"]], closed: true)
    }
}

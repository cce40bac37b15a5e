import OzziRuntime

extension Call: APIModel {
    static var schemaName: String { "Call" }

    static let schema = Schema.object([
        .required("id", Schema.string().example("call_01jd3k5v7n0000000000000000")),
        .required("number_id", Schema.string().nullable.described("The voice number; null once it was deleted")),
        .required("call_sid", Schema.string().example("CA0123456789abcdef0123456789abcdef")),
        .required("direction", Schema.oneOf(["inbound", "outbound"])),
        .required("from", Schema.string().example("+12025550143")),
        .required("to", Schema.string().example("+12025550100")),
        .required("contact_id", Schema.string().nullable.described("The other party's contact, when one matched or the agent made one")),
        .required("status", Schema.string().example("completed").described("Twilio's CallStatus, last reported")),
        .required("context", Schema.any.described("An outbound call's context and variables for the agent")),
        .required("after_hours", Schema.boolean.described("The call came outside the number's business hours")),
        .required("started_at", .timestamp),
        .required("answered_at", Schema.timestamp.nullable),
        .required("ended_at", Schema.timestamp.nullable),
        .required("duration_seconds", Schema.integer(min: 0).nullable),
        .required("interruptions", Schema.integer(min: 0).described("Times the caller interrupted the agent")),
        .required("session_status", Schema.string().nullable.described("ConversationRelay's SessionStatus when the session ended")),
        .required("handoff_reason", Schema.string().nullable.described("Why the agent handed the call to a human")),
        .required("callback_requested_at", Schema.timestamp.nullable),
        .required("callback_note", Schema.string().nullable),
        .required("placed_by", Schema.string().nullable.described("The member who called from the browser, or talked to the agent in the voice lab")),
        .required("classification", Schema.oneOf(CallClass.all).nullable.described("The review's class for the call, or a person's")),
        .required("classified_by", Schema.string().nullable.described("`review`, or the member who classified the call")),
        .required("rating", Schema.integer(1...5).nullable.described("Stars a person gave the call")),
        .required("rated_by", Schema.string().nullable),
        .required("review_status", Schema.oneOf(["pending", "done", "failed"]).nullable.described("The AI review, once the call ended")),
        .required("price", Schema.number(0...1_000_000).nullable.described("What the provider charged (positive), fetched after the call")),
        .required("price_unit", Schema.string().nullable.example("USD")),
        .required("has_recording", Schema.boolean.described("A recording is stored: GET /api/v1/calls/{id}/recording serves it")),
        .required("lab", Schema.boolean.described("A conversation in the voice testing lab (text, no phone): left out of the dashboard's totals")),
        .required("created_at", .timestamp),
        .required("updated_at", .timestamp),
        .optional("events", Schema.array(Schema.object([
            .required("seq", Schema.integer(min: 1)), .required("status", Schema.string().example("in-progress")), .required("at", .timestamp),
        ], closed: true)).described("The status timeline (one call's answer only)")),
        .optional("turns", Schema.array(Schema.object([
            .required("seq", Schema.integer(min: 1)),
            .required("role", Schema.oneOf(CallTurn.roles)),
            .required("text", Schema.string().described("What was said; an interrupted agent turn holds only what the caller heard")),
            .required("interrupted", Schema.boolean),
            .required("tool", Schema.object([
                .required("name", Schema.string().example("lookup_caller")), .required("arguments", .any), .required("result", .any),
            ]).nullable),
            .required("at", .timestamp),
        ], closed: true)).described("The transcript (one call's answer only)")),
        .optional("review", CallReview.schema.nullable.described("The AI review (one call's answer only)")),
        .optional("recordings", Schema.array(CallRecording.schema).described("The call's recordings, oldest first (one call's answer only)")),
    ], closed: true)
}

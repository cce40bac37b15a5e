/// The contexts every workspace has: the follow-ups a call center makes most, each with the rules that
/// apply it by itself. A workspace may turn one off or change its priority; custom contexts do the rest.
enum SystemContexts {
    struct Definition: Sendable {
        let key: String
        let name: String
        let description: String
        let template: String
        let priority: Int
        let rules: ContextRules
    }

    static let all: [Definition] = [
        Definition(key: "missed_call", name: "Missed call follow-up", description: "Calls back someone whose call was not answered",
                   template: "You are calling {{first_name|the caller}} back from {{workspace_name|our team}}: they called {{number_name|us}} "
                       + "{{call_age_hours}} hours ago and nobody answered. Apologise, ask how you can help, and offer to take a message.",
                   priority: 30, rules: ContextRules(statuses: ["no-answer", "busy", "failed", "canceled"], direction: "inbound", maxAgeHours: 48)),
        Definition(key: "recent_call", name: "Recent call follow-up", description: "Follows up a call that completed in the last three days",
                   template: "You spoke with {{first_name|the contact}} {{call_age_hours}} hours ago: {{call_summary|no summary was kept}}. "
                       + "{{call_callback_note}} Greet them, say you are following up on that call, and help with what is still open.",
                   priority: 20, rules: ContextRules(statuses: ["completed"], maxAgeHours: 72)),
        Definition(key: "short_call", name: "Dropped call", description: "Follows up a call that ended within a few seconds",
                   template: "Your call with {{first_name|the caller}} dropped after {{call_duration_seconds}} seconds. Say you are calling "
                       + "back because the line dropped, and pick up where it stopped: {{call_summary|ask how you can help}}.",
                   priority: 40, rules: ContextRules(statuses: ["completed"], maxAgeHours: 24, maxDurationSeconds: 15)),
        Definition(key: "general", name: "General follow-up", description: "A friendly follow-up on any call, chosen by id",
                   template: "You are calling {{first_name|the contact}} on behalf of {{workspace_name|our team}} to follow up. Be brief and helpful.",
                   priority: 0, rules: ContextRules()),
    ]
}

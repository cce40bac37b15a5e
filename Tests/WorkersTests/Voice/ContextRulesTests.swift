import OzziRuntime
import Testing
@testable import APIWorker

/// When a context applies by itself, and which variables a context may use.
@Suite struct ContextRulesTests {
    static let now: Int64 = 1_900_000_000_000

    static func call(status: String = "completed", direction: String = "inbound", hoursAgo: Int64 = 1, duration: Int? = 60) -> Call {
        let started = Timestamp.at(milliseconds: now - hoursAgo * 3_600_000)
        return Call(id: "call_1", workspace_id: "wsp_1", number_id: nil, call_sid: "CA1", account_sid: "AC1", direction: direction, from_number: "+1",
                    to_number: "+2", contact_id: nil, status: status, context: [:], after_hours: false, started_at: started, answered_at: nil,
                    ended_at: started, duration_seconds: duration, interruptions: 0, session_status: nil, handoff_reason: nil, handoff_data: nil,
                    callback_requested_at: nil, callback_note: nil, placed_by: nil, classification: nil, classified_by: nil, rating: nil, rated_by: nil,
                    review_status: nil, price_micros: nil, price_unit: nil, has_recording: false, lab: false, created_at: started, updated_at: started)
    }

    @Test func eachConditionNarrowsAndNoneMeansNeverByItself() {
        let missed = ContextRules(statuses: ["no-answer", "busy"], direction: "inbound", maxAgeHours: 24)
        #expect(missed.matches(Self.call(status: "no-answer"), nowMs: Self.now))
        #expect(!missed.matches(Self.call(status: "completed"), nowMs: Self.now))
        #expect(!missed.matches(Self.call(status: "busy", direction: "outbound"), nowMs: Self.now))
        #expect(missed.matches(Self.call(status: "busy", hoursAgo: 24), nowMs: Self.now))
        #expect(!missed.matches(Self.call(status: "busy", hoursAgo: 25), nowMs: Self.now))
        #expect(!missed.matches(nil, nowMs: Self.now), "no call to follow up")
        let short = ContextRules(maxDurationSeconds: 15)
        #expect(short.matches(Self.call(duration: 15), nowMs: Self.now) && !short.matches(Self.call(duration: 16), nowMs: Self.now))
        #expect(short.matches(Self.call(duration: nil), nowMs: Self.now), "no duration: it did not last")
        #expect(!ContextRules().matches(Self.call(), nowMs: Self.now))
    }

    @Test func rulesReadBackAsWrittenAndBadOnesAreNamed() throws {
        let rules = ContextRules(statuses: ["failed"], direction: "outbound", maxAgeHours: 48, maxDurationSeconds: 30)
        #expect(ContextRules(json: rules.json) == rules)
        #expect(try ContextRules(parsing: rules.json) == rules)
        for (json, field) in [
            (["statuses": ["ringing"]], "rules.statuses"), (["direction": "sideways"], "rules.direction"), (["max_age_hours": 0], "rules.max_age_hours"),
            (["max_duration_seconds": -1], "rules.max_duration_seconds"), (["colour": "red"], "rules.colour"),
        ] as [(JSONValue, String)] {
            let error = #expect(throws: APIError.self) { try ContextRules(parsing: json) }
            #expect(error?.details?["field"]?.stringValue == field, "\(json)")
        }
    }

    @Test func templatesUseOnlyKnownVariables() throws {
        _ = try ContextVariables.parse("Hi {{first_name|there}}, about {{call_summary}} on {{number_name}} for {{custom.plan}}", field: "template")
        let error = #expect(throws: APIError.self) { try ContextVariables.parse("{{first_name}} wears {{shoe_size}}", field: "template") }
        #expect(error?.message.contains("{{shoe_size}}") == true && error?.details?["field"] == "template", "\(String(describing: error))")
        let values = ContextVariables.values(call: Self.call(hoursAgo: 5), summary: "Asked the hours.", number: nil, workspaceName: "Harbour", nowMs: Self.now)
        #expect(values["call_age_hours"] == "5" && values["call_summary"] == "Asked the hours." && values["workspace_name"] == "Harbour")
        #expect(values["call_duration_seconds"] == "60" && values["number_name"] == nil)
    }
}

import OzziRuntime

/// A call campaign's body read and checked: each mistake a 422 naming its field.
struct CallCampaignInput: Sendable {
    var name: String?
    var numberID: String?
    /// nil: unchanged; .some(nil): cleared.
    var contextID: String??
    var context: String??
    var audience: CampaignAudience?
    var window: BusinessHours?
    var callsPerSecond: Int?
    var maxConcurrent: Int?
    var maxAttempts: Int?
    var retryDelaySeconds: Int?
    var sendAt: (text: String, ms: Int64)??

    init(_ body: JSONBody, creating: Bool) throws {
        name = try body.string("name", max: 200)
        if creating, name == nil { throw APIError.invalidField("name", "is required") }
        if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
        numberID = try body.string("number_id", max: 64)
        if creating, numberID == nil { throw APIError.invalidField("number_id", "is required") }
        if body.fields["context_id"] == .null { contextID = .some(nil) } else if let id = try body.string("context_id", max: 64) { contextID = id }
        if body.fields["context"] == .null { context = .some(nil) } else if let text = try body.string("context", max: 4_000) { context = text }
        if let id = contextID, id != nil, let text = context, text != nil {
            throw APIError.invalidField("context", "give context or context_id, not both")
        }
        if let given = body.fields["audience"] { audience = try CampaignAudience(json: given) } else if creating {
            throw APIError.invalidField("audience", "is required")
        }
        if let given = body.fields["calling_window"] {
            let window = try BusinessHours.parse(given, field: "calling_window")
            guard window.opensEver else { throw APIError.invalidField("calling_window.weekly", "must open on at least one day") }
            self.window = window
        } else if creating {
            throw APIError.invalidField("calling_window", "is required")
        }
        callsPerSecond = try body.int("calls_per_second", CallCampaign.limits.cps)
        maxConcurrent = try body.int("max_concurrent", CallCampaign.limits.concurrent)
        maxAttempts = try body.int("max_attempts", CallCampaign.limits.attempts)
        retryDelaySeconds = try body.int("retry_delay_seconds", CallCampaign.limits.retryDelay)
        if body.fields["send_at"] == .null { sendAt = .some(nil) } else if let text = try body.string("send_at", max: 40) {
            guard let ms = RFC3339.milliseconds(text) else { throw APIError.invalidField("send_at", "must be an RFC 3339 time such as 2026-12-01T09:30:00Z") }
            sendAt = (Timestamp.at(milliseconds: ms), ms)
        }
    }
}

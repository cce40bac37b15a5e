import OzziRuntime

/// One contact of a call campaign and where it stands: waiting (for its window, its turn, or a retry),
/// on a call, reached (completed), not reached after the last attempt (failed), or cancelled.
struct CallCampaignTarget: Sendable, Decodable, SQLRecord {
    let campaign_id: String
    let contact_id: String
    let phone: String
    let time_zone: String?
    let status: String
    let attempts: Int
    let next_attempt_ms: Int64
    let call_id: String?
    let last_call_status: String?
    let error: String?
    let updated_at: String

    enum CodingKeys: String, SQLColumn {
        case campaign_id, contact_id, phone, time_zone, status, attempts, next_attempt_ms, call_id, last_call_status, error, updated_at
    }
    typealias Columns = CodingKeys

    var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return ["contact_id": .string(contact_id), "phone": .string(phone), "time_zone": text(time_zone), "status": .string(status),
                "attempts": .number(Double(attempts)), "next_attempt_at": status == "waiting" ? .string(Timestamp.at(milliseconds: next_attempt_ms)) : .null,
                "call_id": text(call_id), "last_call_status": text(last_call_status), "error": text(error), "updated_at": .string(updated_at)]
    }

    static let schema = Schema.object([
        .required("contact_id", Schema.string()), .required("phone", Schema.string(format: "phone")),
        .required("time_zone", Schema.string().nullable.described("The contact's time_zone field, when valid: the window is kept in it")),
        .required("status", Schema.oneOf(CallCampaignStats.statuses)), .required("attempts", Schema.integer(min: 0)),
        .required("next_attempt_at", Schema.timestamp.nullable.described("A waiting contact's earliest call")),
        .required("call_id", Schema.string().nullable.described("The last call placed")),
        .required("last_call_status", Schema.string().nullable), .required("error", Schema.string().nullable),
        .required("updated_at", .timestamp),
    ], closed: true)
}

import OzziRuntime

/// One outbound call campaign, as its row holds it.
struct CallCampaign: Sendable, Decodable, SQLRecord {
    let id: String
    let workspace_id: String
    let name: String
    let number_id: String
    let context_id: String?
    let context: String?
    let audience: JSONValue
    let calling_window: JSONValue
    let calls_per_second: Int
    let max_concurrent: Int
    let max_attempts: Int
    let retry_delay_seconds: Int
    let state: String
    let state_reason: String?
    let send_at: String?
    let send_at_ms: Int64?
    let expand_cursor: String
    let expanded: Bool
    let run_token: String
    let run_seen_ms: Int64
    let next_place_ms: Int64
    let created_by: String
    let created_at: String
    let updated_at: String
    let started_at: String?
    let finished_at: String?

    enum CodingKeys: String, SQLColumn {
        case id, workspace_id, name, number_id, context_id, context, audience, calling_window, calls_per_second, max_concurrent, max_attempts
        case retry_delay_seconds, state, state_reason, send_at, send_at_ms, expand_cursor, expanded, run_token, run_seen_ms, next_place_ms, created_by
        case created_at, updated_at, started_at, finished_at
    }
    typealias Columns = CodingKeys

    var scope: TenantScope { TenantScope(workspaceID: workspace_id) }
    var lifecycle: CampaignState { CampaignState(rawValue: state) ?? .draft }
    var window: BusinessHours? { try? BusinessHours.parse(calling_window, field: "calling_window") }

    /// The campaign as the API answers it; `stats` for one campaign.
    func answer(stats: CallCampaignStats? = nil) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        var fields: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "number_id": .string(number_id), "context_id": text(context_id), "context": text(context),
            "audience": audience, "calling_window": calling_window, "calls_per_second": .number(Double(calls_per_second)),
            "max_concurrent": .number(Double(max_concurrent)), "max_attempts": .number(Double(max_attempts)),
            "retry_delay_seconds": .number(Double(retry_delay_seconds)), "state": .string(state), "state_reason": text(state_reason),
            "send_at": text(send_at), "created_by": .string(created_by), "created_at": .string(created_at), "updated_at": .string(updated_at),
            "started_at": text(started_at), "finished_at": text(finished_at),
        ]
        if let stats { fields["stats"] = stats.json }
        return .object(fields)
    }
}

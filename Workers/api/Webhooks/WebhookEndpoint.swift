import OzziRuntime

/// A URL a workspace wants events POSTed to. The secret is shown when the endpoint is created.
struct WebhookEndpoint: Encodable, Sendable {
    let id: String
    let url: String
    let event_types: [String]
    let description: String
    let active: Bool
    let disabled_reason: String?
    let consecutive_failures: Int
    let created_at: String
    let updated_at: String
    /// Only in the answer to creation.
    var secret: String?

    func wants(_ type: String) -> Bool {
        event_types.contains("*") || event_types.contains(type)
    }
}

extension WebhookEndpoint: SQLRecord {
    enum Columns: String, SQLColumn {
        case id, url, event_types, description, active, disabled_reason, consecutive_failures, created_at, updated_at
    }

    init(row: SQLRecordRow<Columns>) throws {
        id = try row.decode(String.self, forKey: .id)
        url = try row.decode(String.self, forKey: .url)
        event_types = try row.decode([String].self, forKey: .event_types)
        description = try row.decode(String.self, forKey: .description)
        active = try row.decode(Bool.self, forKey: .active)
        disabled_reason = try row.decodeIfPresent(String.self, forKey: .disabled_reason)
        consecutive_failures = try row.decode(Int.self, forKey: .consecutive_failures)
        created_at = try row.decode(String.self, forKey: .created_at)
        updated_at = try row.decode(String.self, forKey: .updated_at)
        secret = nil
    }
}

/// One POST of one event to one endpoint, with its latest attempt.
struct WebhookDelivery: Codable, SQLRecord, Sendable {
    let id: String
    let event_id: String
    let event_type: String
    let status: String
    let attempts: Int
    let response_status: Int?
    let error: String?
    let created_at: String
    let updated_at: String
    enum CodingKeys: String, SQLColumn { case id, event_id, event_type, status, attempts, response_status, error, created_at, updated_at }
    typealias Columns = CodingKeys

    /// Pending until an attempt succeeds, or the last one allowed fails.
    static let statuses = ["pending", "succeeded", "failed"]
}

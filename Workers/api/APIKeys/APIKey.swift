import OzziRuntime

/// A named key for a workspace; its secret is shown once, when created.
struct APIKey: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let name: String
    /// The visible part of the key (`ozk_live_xxxxxxxxxxxx`), for telling keys apart.
    let prefix: String
    let active: Bool
    let created_by: String
    let created_at: String
    let last_used_at: String?
    enum CodingKeys: String, SQLColumn { case id, name, prefix, active, created_by, created_at, last_used_at }
    typealias Columns = CodingKeys
}

/// A named key for a workspace; its secret is shown once, when created.
struct APIKey: Codable, Sendable, Equatable {
    let id: String
    let name: String
    /// The visible part of the key (`ozk_live_xxxxxxxxxxxx`), for telling keys apart.
    let prefix: String
    let active: Bool
    let created_by: String
    let created_at: String
    let last_used_at: String?
}

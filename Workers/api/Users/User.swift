/// An account. Anonymous (trial) users have no email until they upgrade.
struct User: Codable, Sendable, Equatable {
    let id: String
    let email: String?
    let name: String?
    let is_anonymous: Bool
    let is_platform_admin: Bool
    let personal_workspace_id: String
    let created_at: String
}

/// An external sign-in identity linked to a user.
struct Identity: Codable, Sendable, Equatable {
    let provider: String
    let subject: String
    let email: String?
    let created_at: String
}

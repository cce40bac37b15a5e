import OzziRuntime

/// An account. Anonymous (trial) users have no email until they upgrade.
struct User: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let email: String?
    let name: String?
    let is_anonymous: Bool
    let is_platform_admin: Bool
    let personal_workspace_id: String
    /// When the owner of `email` proved it (a mailed link, a provider that vouches for it); nil until then.
    let email_verified_at: String?
    let created_at: String
    enum CodingKeys: String, SQLColumn { case id, email, name, is_anonymous, is_platform_admin, personal_workspace_id, email_verified_at, created_at }
    typealias Columns = CodingKeys
}

/// An external sign-in identity linked to a user.
struct Identity: Codable, SQLRecord, Sendable, Equatable {
    let provider: String
    let subject: String
    let email: String?
    let created_at: String
    enum CodingKeys: String, SQLColumn { case provider, subject, email, created_at }
    typealias Columns = CodingKeys
}

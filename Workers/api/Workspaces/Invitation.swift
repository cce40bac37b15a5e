import OzziRuntime

/// An invitation to join a workspace; its token is shown once, to the inviter, and is single-use.
struct Invitation: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let email: String
    let role: Role
    let invited_by: String
    let expires_at: String
    let accepted_at: String?
    let created_at: String
    enum CodingKeys: String, SQLColumn { case id, email, role, invited_by, expires_at, accepted_at, created_at }
    typealias Columns = CodingKeys

    /// What an invitation can make someone: a workspace has owners only by a role change.
    static let roles: [Role] = [.admin, .member]
}

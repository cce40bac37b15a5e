/// An invitation to join a workspace; its token is shown once, to the inviter, and is single-use.
struct Invitation: Codable, Sendable, Equatable {
    let id: String
    let email: String
    let role: Role
    let invited_by: String
    let expires_at: String
    let accepted_at: String?
    let created_at: String
}

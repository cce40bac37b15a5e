/// Who is calling, and in which workspace, after authentication.
struct Principal: Sendable {
    let user: User
    let workspace: Workspace
    /// Set for session tokens and cookies.
    let sessionID: String?
    /// Set when the caller used an API key (scoped to the key's workspace).
    let apiKeyID: String?

    var userID: String { user.id }
    var scope: TenantScope { TenantScope(workspaceID: workspace.id) }
    var role: Role { workspace.role }

    /// Refuses callers below `role` with 403 (they can see the workspace, so 404 would be a lie).
    func require(_ needed: Role, to action: String) throws {
        guard role >= needed else { throw APIError.forbidden("only a workspace \(needed.rawValue) or above can \(action)") }
    }

    /// Refuses anyone but platform admins (`ozzi admin grant`) with 403.
    func requirePlatformAdmin() throws {
        guard user.is_platform_admin else { throw APIError.forbidden("only platform admins can see this") }
    }

    /// Refuses API keys for account-level actions that need a person (sessions, linking, passwords).
    func requireSession(for action: String) throws -> String {
        guard let sessionID else { throw APIError.forbidden("\(action) needs a signed-in user, not an API key") }
        return sessionID
    }
}

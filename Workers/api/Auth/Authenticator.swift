import OzziRuntime

/// Turns a request's credential into a `Principal`: `Authorization: Bearer` with an access token or an
/// API key, or the `ozzi_access` cookie. The workspace is the key's, or for users `X-Workspace-Id` (one
/// they belong to) or their personal workspace.
struct Authenticator: Sendable {
    let sessions: SessionStore
    let apiKeys: APIKeyStore
    let users: UserStore
    let workspaces: WorkspaceStore

    func principal(for request: Request) async throws -> Principal {
        guard let token = Self.credential(request) else { throw APIError.unauthorized }
        if token.hasPrefix("ozk_") {
            guard let key = try await apiKeys.authenticate(token) else { throw APIError.unauthorized("the API key is invalid or disabled") }
            if let asked = request.headers["x-workspace-id"], asked != key.workspaceID {
                throw APIError.notFound("workspace")
            }
            guard let workspace = try await workspaces.workspace(key.workspaceID, for: key.createdBy) else {
                throw APIError.unauthorized("the API key's creator no longer belongs to its workspace")
            }
            // A key acts for its workspace with at most admin rights: it cannot make or remove owners.
            let role = min(workspace.role, .admin)
            return Principal(userID: key.createdBy, workspace: Workspace(id: workspace.id, name: workspace.name, is_personal: workspace.is_personal,
                                                                          created_at: workspace.created_at, role: role),
                             sessionID: nil, apiKeyID: key.keyID)
        }
        guard let (sessionID, userID) = try await sessions.authenticate(accessToken: token) else {
            throw APIError.unauthorized("the access token is invalid or expired; refresh it")
        }
        let workspaceID: String
        if let asked = request.headers["x-workspace-id"] {
            workspaceID = asked
        } else {
            guard let user = try await users.find(id: userID) else { throw APIError.unauthorized }
            workspaceID = user.personal_workspace_id
        }
        guard let workspace = try await workspaces.workspace(workspaceID, for: userID) else { throw APIError.notFound("workspace") }
        return Principal(userID: userID, workspace: workspace, sessionID: sessionID, apiKeyID: nil)
    }

    /// The bearer token, else the access cookie.
    static func credential(_ request: Request) -> String? {
        if let header = request.headers["authorization"] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(String(parts[1]).trimmingPrefixAndSuffixSpaces()) }
            return nil
        }
        return Cookies.value("ozzi_access", in: request)
    }
}

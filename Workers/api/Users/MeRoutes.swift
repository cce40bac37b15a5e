import OzziRuntime

/// `GET /api/v1/me`: who the credential belongs to, and the workspace it acts in.
extension APIRoutes {
    mutating func addMeRoutes(_ s: APIServices) {
        authed("GET", "/api/v1/me", "The caller: user, workspace and role", tag: "me") { _, _, principal in
            guard let user = try await s.users.find(id: principal.userID) else { throw APIError.unauthorized }
            return .json(Me(user: user, workspace: principal.workspace, credential: principal.apiKeyID == nil ? "session" : "api_key",
                            api_key_id: principal.apiKeyID))
        }
    }

    struct Me: Encodable {
        let user: User
        let workspace: Workspace
        let credential: String
        let api_key_id: String?
    }
}

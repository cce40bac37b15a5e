import OzziRuntime

/// `GET /api/v1/me`: who the credential belongs to, and the workspace it acts in.
extension RouteGroup {
    func addMeRoutes() {
        authed("GET", "", "The caller: user, workspace and role", tag: "me", answers: .json(.model(Me.self))) { _, _, principal in
            .json(Me(user: principal.user, workspace: principal.workspace, credential: principal.apiKeyID == nil ? .session : .api_key,
                     api_key_id: principal.apiKeyID))
        }
    }

    struct Me: Encodable {
        let user: User
        let workspace: Workspace
        let credential: Credential
        let api_key_id: String?

        enum Credential: String, Encodable, CaseIterable {
            case session, api_key
        }
    }
}

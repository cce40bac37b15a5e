/// `/api/v1/workspaces` and `/api/v1/invitations`: workspaces, their members and roles, invitations
/// (mailed through the system sender).
struct WorkspacesDomain: APIDomain {
    let workspaces: WorkspaceStore
    let invitations: InvitationStore
    let apiKeys: APIKeyStore
    let audit: AuditLog
    let mail: SystemEmailSender

    init(_ api: APIEnvironment) {
        workspaces = api.accounts.workspaces
        invitations = InvitationStore(database: api.database, clock: api.clock)
        apiKeys = api.accounts.apiKeys
        audit = api.accounts.audit
        mail = api.systemEmail
    }

    func routes(_ v1: RouteGroup) {
        v1.addWorkspaceRoutes(self)
    }
}

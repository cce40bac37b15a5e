/// A signed-in portal user, after `PortalAuthenticator`: whose records they may see, in which workspace.
struct PortalPrincipal: Sendable {
    let user: PortalUser
    let workspaceID: String
    let sessionID: String

    var scope: TenantScope { TenantScope(workspaceID: workspaceID) }
    /// Every active portal user is linked to a contact (`PortalUserStore.activate`).
    var contactID: String { user.contact_id ?? "" }
}

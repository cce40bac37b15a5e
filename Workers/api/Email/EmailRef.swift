/// One email of a workspace, as a signed link names it.
struct EmailRef: Sendable, Equatable {
    let scope: TenantScope
    let messageID: String
}

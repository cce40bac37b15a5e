import OzziRuntime

/// `GET /api/v1/audit-log`: the workspace's security events, newest first, for its owners.
extension RouteGroup {
    func addAuditRoutes(_ s: AuditDomain) {
        authed("GET", "", "Security events of the workspace (owners)", tag: "audit") { request, _, principal in
            try principal.require(.owner, to: "read the audit log")
            let page = try PageRequest(request, defaultLimit: 50)
            return .json(page.page(try await s.audit.list(principal.scope, page: page), key: { String($0.id) }) { $0 })
        }
    }
}

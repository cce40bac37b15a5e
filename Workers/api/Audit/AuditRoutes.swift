import OzziRuntime

/// `GET /api/v1/audit-log`: the workspace's security events, newest first, for its owners.
extension RouteGroup {
    func addAuditRoutes(_ s: AuditDomain) {
        list("", "Security events of the workspace (owners)", tag: "audit", of: .model(AuditLog.Event.self), defaultLimit: 50, key: { String($0.id) }) { _, _, principal, page in
            try principal.require(.owner, to: "read the audit log")
            return try await s.audit.list(principal.scope, page: page)
        }
    }
}

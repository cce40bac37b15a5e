/// `/api/v1/audit-log`: a workspace's security events.
struct AuditDomain: APIDomain {
    let audit: AuditLog

    init(_ api: APIEnvironment) {
        audit = api.accounts.audit
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/audit-log").addAuditRoutes(self)
    }
}

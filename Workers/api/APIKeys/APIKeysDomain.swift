import OzziRuntime

/// `/api/v1/api-keys`: a workspace's keys for other services.
struct APIKeysDomain: APIDomain {
    let apiKeys: APIKeyStore
    let audit: AuditLog

    init(_ api: APIEnvironment) {
        apiKeys = api.accounts.apiKeys
        audit = api.accounts.audit
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/api-keys").addAPIKeyRoutes(self)
    }

    func services(context: WorkerServiceContext) -> [any Service] {
        [PrincipalCacheListener(sync: apiKeys.sync, apiKeys: apiKeys)]
    }
}

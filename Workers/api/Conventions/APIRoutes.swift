import OzziRuntime

/// Registers each api route once, for the router and for the OpenAPI document alike, and wraps handlers
/// with what every route needs: authentication, and `Idempotency-Key` replay on creating POSTs. Domains
/// register through a `RouteGroup`, which states a path prefix once (as Hummingbird's route groups do).
final class APIRoutes {
    private(set) var router = Router()
    private(set) var operations: [APIOperation] = []
    let authenticator: Authenticator
    let idempotency: IdempotencyStore

    typealias PublicHandler = @Sendable (Request, RequestContext) async throws -> Response
    typealias AuthedHandler = @Sendable (Request, RequestContext, Principal) async throws -> Response

    init(authenticator: Authenticator, idempotency: IdempotencyStore) {
        self.authenticator = authenticator
        self.idempotency = idempotency
    }

    /// Routes below `prefix`.
    func group(_ prefix: String) -> RouteGroup {
        RouteGroup(routes: self, prefix: prefix)
    }

    fileprivate func open(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field],
                          success: Int, _ handler: @escaping PublicHandler) {
        operations.append(APIOperation(method: method, path: path, summary: summary, tag: tag, authenticated: false,
                                       body: body, success: success, idempotent: false))
        router.add(method, path, handler)
    }

    fileprivate func authed(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field],
                            success: Int, creates: Bool, streamBody: Int?, _ handler: @escaping AuthedHandler) {
        operations.append(APIOperation(method: method, path: path, summary: summary, tag: tag, authenticated: true,
                                       body: body, success: success, idempotent: creates))
        let authenticator = self.authenticator
        let idempotency = self.idempotency
        router.add(method, path, streamBody: streamBody) { request, context in
            let principal = try await authenticator.principal(for: request)
            guard creates, let key = request.headers["idempotency-key"] else { return try await handler(request, context, principal) }
            return try await idempotency.run(key: key, principal: principal, request: request) {
                try await handler(request, context, principal)
            }
        }
    }
}

/// Routes below one path prefix: `group("/contacts")` under `/api/v1`, then `authed("GET", "/:id", ...)`
/// serves `/api/v1/contacts/:id`.
struct RouteGroup {
    let routes: APIRoutes
    let prefix: String

    func group(_ path: String) -> RouteGroup {
        RouteGroup(routes: routes, prefix: prefix + path)
    }

    /// A route anyone may call (sign-in, the OpenAPI document).
    func open(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
              success: Int = 200, _ handler: @escaping APIRoutes.PublicHandler) {
        routes.open(method, prefix + path, summary, tag: tag, body: body, success: success, handler)
    }

    /// A route that needs a credential; `creates` routes honour `Idempotency-Key`; `streamBody` routes
    /// read their body as it arrives (see `Router.add`), after the credential was checked.
    func authed(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
                success: Int = 200, creates: Bool = false, streamBody: Int? = nil, _ handler: @escaping APIRoutes.AuthedHandler) {
        routes.authed(method, prefix + path, summary, tag: tag, body: body, success: success, creates: creates, streamBody: streamBody, handler)
    }
}

/// One documented operation.
struct APIOperation: Sendable {
    struct Field: Sendable {
        let name: String
        let type: String
        let required: Bool

        static func required(_ name: String, _ type: String = "string") -> Field { Field(name: name, type: type, required: true) }
        static func optional(_ name: String, _ type: String = "string") -> Field { Field(name: name, type: type, required: false) }
    }

    let method: String
    let path: String
    let summary: String
    let tag: String
    let authenticated: Bool
    let body: [Field]
    let success: Int
    let idempotent: Bool
}

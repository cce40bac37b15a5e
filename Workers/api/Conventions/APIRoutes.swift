import OzziRuntime

/// Registers each api route once, for the router and for the OpenAPI document alike, and wraps handlers
/// with what every route needs: authentication, and `Idempotency-Key` replay on creating POSTs.
struct APIRoutes {
    private(set) var router = Router()
    private(set) var operations: [APIOperation] = []
    let authenticator: Authenticator
    let idempotency: IdempotencyStore

    typealias PublicHandler = @Sendable (Request, RequestContext) async throws -> Response
    typealias AuthedHandler = @Sendable (Request, RequestContext, Principal) async throws -> Response

    /// A route anyone may call (sign-in, the OpenAPI document).
    mutating func open(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
                       success: Int = 200, _ handler: @escaping PublicHandler) {
        operations.append(APIOperation(method: method, path: path, summary: summary, tag: tag, authenticated: false,
                                       body: body, success: success, idempotent: false))
        router.add(method, path, handler)
    }

    /// A route that needs a credential; `creates` routes honour `Idempotency-Key`; `streamBody` routes
    /// read their body as it arrives (see `Router.add`), after the credential was checked.
    mutating func authed(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
                         success: Int = 200, creates: Bool = false, streamBody: Int? = nil, _ handler: @escaping AuthedHandler) {
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

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
    typealias PortalHandler = @Sendable (Request, RequestContext, PortalPrincipal) async throws -> Response

    init(authenticator: Authenticator, idempotency: IdempotencyStore) {
        self.authenticator = authenticator
        self.idempotency = idempotency
    }

    /// Routes below `prefix`.
    func group(_ prefix: String) -> RouteGroup {
        RouteGroup(routes: self, prefix: prefix, events: nil)
    }

    fileprivate func open(_ operation: APIOperation, _ handler: @escaping PublicHandler) {
        operations.append(operation)
        router.add(operation.method, operation.path) { request, context in
            try await operation.checked(request, pathParameters: context.parameters) { try await handler(request, context) }
        }
    }

    fileprivate func service(_ method: String, _ path: String, _ handler: @escaping PublicHandler) {
        // A service call may come from inside another api route's handler (the api asks a worker, which asks the
        // api back): that route's validated body is a task-local this request must not read as its own.
        router.add(method, path, internal: true) { request, context in
            try await JSONBody.$validated.withValue(nil) { try await handler(request, context) }
        }
    }

    /// A console page (`Console/`): a route of the worker's, not of the API, so it is not in the document.
    func page(_ method: String, _ path: String, _ handler: @escaping PublicHandler) {
        router.add(method, path, handler)
    }

    /// A client-portal route: the portal's own credential, checked before the body.
    fileprivate func portal(_ operation: APIOperation, authenticator: PortalAuthenticator, _ handler: @escaping PortalHandler) {
        operations.append(operation)
        router.add(operation.method, operation.path) { request, context in
            let principal = try await authenticator.principal(for: request)
            return try await operation.checked(request, pathParameters: context.parameters) { try await handler(request, context, principal) }
        }
    }

    fileprivate func authed(_ operation: APIOperation, streamBody: Int?, _ handler: @escaping AuthedHandler) {
        operations.append(operation)
        let authenticator = self.authenticator
        let idempotency = self.idempotency
        router.add(operation.method, operation.path, streamBody: streamBody) { request, context in
            // The credential first: a caller without one learns nothing about what the route accepts.
            let principal = try await authenticator.principal(for: request)
            return try await operation.checked(request, pathParameters: context.parameters) {
                guard operation.idempotent, let key = request.headers["idempotency-key"] else { return try await handler(request, context, principal) }
                return try await idempotency.run(key: key, principal: principal, request: request) {
                    try await handler(request, context, principal)
                }
            }
        }
    }
}

/// Routes below one path prefix: `group("/contacts")` under `/api/v1`, then `authed("GET", "/:id", ...)`
/// serves `/api/v1/contacts/:id`.
struct RouteGroup {
    let routes: APIRoutes
    let prefix: String
    /// Asked to hand on new events after every write through this group (see `announcing`).
    var events: WorkspaceEvents?

    func group(_ path: String) -> RouteGroup {
        RouteGroup(routes: routes, prefix: prefix + path, events: events)
    }

    /// The same routes, with `events` flushed after each write (POST, PUT, PATCH, DELETE), whether it
    /// succeeded or not: for domains whose every change records events, so no handler can forget.
    func announcing(_ events: WorkspaceEvents) -> RouteGroup {
        RouteGroup(routes: routes, prefix: prefix, events: events)
    }

    /// A route anyone may call (sign-in, the OpenAPI document).
    /// `signedWith`: a header the handler checks instead of a credential (a webhook's signature).
    func open(_ method: String, _ path: String, _ summary: String, tag: String, body: APIOperation.RequestBody? = nil,
              query: [Parameter] = [], answers: APIOperation.Answer, success: Int = 200, signedWith: String? = nil,
              _ handler: @escaping APIRoutes.PublicHandler) {
        routes.open(APIOperation(method: method, path: prefix + path, summary: summary, tag: tag, authenticated: false, body: body,
                                 parameters: query, success: success, answer: answers, idempotent: false, signatureHeader: signedWith), handler)
    }

    /// A route only other workers of the host reach, through a service binding (the widget worker's
    /// lookups): not in the document, and no credential, since the binding is the trust; others get 404.
    /// In an `announcing` group its writes hand their events on, as `authed` routes' do.
    func service(_ method: String, _ path: String, _ handler: @escaping APIRoutes.PublicHandler) {
        guard let events, method != "GET" else { return routes.service(method, prefix + path, handler) }
        routes.service(method, prefix + path) {
            defer { events.flushSoon() }
            return try await handler($0, $1)
        }
    }

    /// A route for a client-portal user (`PortalAuthenticator`); workspace credentials are not accepted.
    func portal(_ method: String, _ path: String, _ summary: String, tag: String, authenticator: PortalAuthenticator,
                body: APIOperation.RequestBody? = nil, query: [Parameter] = [], answers: APIOperation.Answer, success: Int = 200,
                _ handler: @escaping APIRoutes.PortalHandler) {
        let operation = APIOperation(method: method, path: prefix + path, summary: summary, tag: tag, authenticated: true, body: body,
                                     parameters: query, success: success, answer: answers, idempotent: false, portal: true)
        guard let events, method != "GET" else { return routes.portal(operation, authenticator: authenticator, handler) }
        routes.portal(operation, authenticator: authenticator) {
            defer { events.flushSoon() }
            return try await handler($0, $1, $2)
        }
    }

    /// A `GET` of one page of a list: `?limit=&cursor=` (and `filters`) checked, `fetch` asked for `limit + 1`
    /// rows after the cursor, the rows answered as `item`s with a `next_cursor` made from the last one's `key`.
    func list<Row: SendableMetatype, Item: Encodable & SendableMetatype>(_ path: String, _ summary: String, tag: String, of schema: Schema, filters: [Parameter] = [],
                                    defaultLimit: Int = 20, key: @escaping @Sendable (Row) -> String,
                                    item: @escaping @Sendable (Row) -> Item,
                                    _ fetch: @escaping @Sendable (Request, RequestContext, Principal, PageRequest) async throws -> [Row]) {
        authed("GET", path, summary, tag: tag, query: PageRequest.parameters + filters, answers: .json(Page<Item>.schema(of: schema))) { request, context, principal in
            let page = try PageRequest(request, defaultLimit: defaultLimit)
            return .json(page.page(try await fetch(request, context, principal, page), key: key, item: item))
        }
    }

    /// A list whose rows are answered as they are.
    func list<Row: Encodable & SendableMetatype>(_ path: String, _ summary: String, tag: String, of schema: Schema, filters: [Parameter] = [], defaultLimit: Int = 20,
                              key: @escaping @Sendable (Row) -> String,
                              _ fetch: @escaping @Sendable (Request, RequestContext, Principal, PageRequest) async throws -> [Row]) {
        list(path, summary, tag: tag, of: schema, filters: filters, defaultLimit: defaultLimit, key: key, item: { $0 }, fetch)
    }

    /// `GET /:id` of one of the workspace's `noun`s: `fetch` finds it in the caller's workspace, or it is a 404.
    func one<Row: SendableMetatype, Item: Encodable & SendableMetatype>(_ summary: String, tag: String, noun: String, answers schema: Schema, item: @escaping @Sendable (Row) -> Item,
                                   _ fetch: @escaping @Sendable (TenantScope, String) async throws -> Row?) {
        authed("GET", "/:id", summary, tag: tag, answers: .json(schema)) { _, context, principal in
            guard let row = try await fetch(principal.scope, context.parameter("id")) else { throw APIError.notFound(noun) }
            return .json(item(row))
        }
    }

    func one<Row: Encodable & SendableMetatype>(_ summary: String, tag: String, noun: String, answers schema: Schema,
                             _ fetch: @escaping @Sendable (TenantScope, String) async throws -> Row?) {
        one(summary, tag: tag, noun: noun, answers: schema, item: { $0 }, fetch)
    }

    /// `DELETE /:id` of one of the workspace's `noun`s: 204 when `delete` removed it, else 404.
    func remove(_ summary: String, tag: String, noun: String, _ delete: @escaping @Sendable (Principal, String) async throws -> Bool) {
        authed("DELETE", "/:id", summary, tag: tag, answers: .empty, success: 204) { _, context, principal in
            guard try await delete(principal, context.parameter("id")) else { throw APIError.notFound(noun) }
            return Response(status: 204)
        }
    }

    /// A route that needs a credential; `creates` routes honour `Idempotency-Key`; `streamBody` routes
    /// read their body as it arrives (see `Router.add`), after the credential was checked.
    func authed(_ method: String, _ path: String, _ summary: String, tag: String, body: APIOperation.RequestBody? = nil,
                query: [Parameter] = [], answers: APIOperation.Answer, success: Int = 200, creates: Bool = false, streamBody: Int? = nil,
                _ handler: @escaping APIRoutes.AuthedHandler) {
        let operation = APIOperation(method: method, path: prefix + path, summary: summary, tag: tag, authenticated: true, body: body,
                                     parameters: query + (creates ? [.idempotencyKey] : []), success: success, answer: answers, idempotent: creates)
        guard let events, method != "GET" else { return routes.authed(operation, streamBody: streamBody, handler) }
        routes.authed(operation, streamBody: streamBody) {
            defer { events.flushSoon() }
            return try await handler($0, $1, $2)
        }
    }
}

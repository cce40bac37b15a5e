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
        RouteGroup(routes: self, prefix: prefix, events: nil)
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
    func open(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
              success: Int = 200, _ handler: @escaping APIRoutes.PublicHandler) {
        routes.open(method, prefix + path, summary, tag: tag, body: body, success: success, handler)
    }

    /// A `GET` of one page of a list: `?limit=&cursor=` read, `fetch` asked for `limit + 1` rows after the
    /// cursor, the rows answered as `item`s with a `next_cursor` made from the last one's `key`.
    func list<Row, Item: Encodable>(_ path: String, _ summary: String, tag: String, defaultLimit: Int = 20, key: @escaping @Sendable (Row) -> String,
                                    item: @escaping @Sendable (Row) -> Item,
                                    _ fetch: @escaping @Sendable (Request, RequestContext, Principal, PageRequest) async throws -> [Row]) {
        authed("GET", path, summary, tag: tag) { request, context, principal in
            let page = try PageRequest(request, defaultLimit: defaultLimit)
            return .json(page.page(try await fetch(request, context, principal, page), key: key, item: item))
        }
    }

    /// `GET /:id` of one of the workspace's `noun`s: `fetch` finds it in the caller's workspace, or it is a 404.
    func one<Row, Item: Encodable>(_ summary: String, tag: String, noun: String, item: @escaping @Sendable (Row) -> Item,
                                   _ fetch: @escaping @Sendable (TenantScope, String) async throws -> Row?) {
        authed("GET", "/:id", summary, tag: tag) { _, context, principal in
            guard let row = try await fetch(principal.scope, context.parameter("id")) else { throw APIError.notFound(noun) }
            return .json(item(row))
        }
    }

    func one<Row: Encodable>(_ summary: String, tag: String, noun: String, _ fetch: @escaping @Sendable (TenantScope, String) async throws -> Row?) {
        one(summary, tag: tag, noun: noun, item: { $0 }, fetch)
    }

    /// `DELETE /:id` of one of the workspace's `noun`s: 204 when `delete` removed it, else 404.
    func remove(_ summary: String, tag: String, noun: String, _ delete: @escaping @Sendable (Principal, String) async throws -> Bool) {
        authed("DELETE", "/:id", summary, tag: tag, success: 204) { _, context, principal in
            guard try await delete(principal, context.parameter("id")) else { throw APIError.notFound(noun) }
            return Response(status: 204)
        }
    }

    /// A list whose rows are answered as they are.
    func list<Row: Encodable>(_ path: String, _ summary: String, tag: String, defaultLimit: Int = 20, key: @escaping @Sendable (Row) -> String,
                              _ fetch: @escaping @Sendable (Request, RequestContext, Principal, PageRequest) async throws -> [Row]) {
        list(path, summary, tag: tag, defaultLimit: defaultLimit, key: key, item: { $0 }, fetch)
    }

    /// A route that needs a credential; `creates` routes honour `Idempotency-Key`; `streamBody` routes
    /// read their body as it arrives (see `Router.add`), after the credential was checked.
    func authed(_ method: String, _ path: String, _ summary: String, tag: String, body: [APIOperation.Field] = [],
                success: Int = 200, creates: Bool = false, streamBody: Int? = nil, _ handler: @escaping APIRoutes.AuthedHandler) {
        guard let events, method != "GET" else {
            return routes.authed(method, prefix + path, summary, tag: tag, body: body, success: success, creates: creates, streamBody: streamBody, handler)
        }
        routes.authed(method, prefix + path, summary, tag: tag, body: body, success: success, creates: creates, streamBody: streamBody) {
            defer { events.flushSoon() }
            return try await handler($0, $1, $2)
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

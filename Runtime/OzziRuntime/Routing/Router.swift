/// A worker's own router: method + path, with `:name` parameters and a trailing `*` wildcard.
///
/// Matching prefers literal segments over parameters over the wildcard, backtracking when a branch
/// dead-ends. A path that matches with another method answers 405 with `Allow`; HEAD falls back to GET.
public struct Router: Sendable {
    public typealias Handler = @Sendable (Request, RequestContext) async throws -> Response

    public enum Match {
        case found(Handler, parameters: [String: String], isInternal: Bool)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    struct Endpoint: Sendable {
        let handler: Handler
        let parameterNames: [String]
        let method: String
        let pattern: String
        let isInternal: Bool
        /// Set for routes that read their body as it arrives (`Request.streamedBody`), up to this many bytes.
        let streamedBodyLimit: Int?
    }

    struct Node: Sendable {
        var literals: [String: Node] = [:]
        var parameter: [Node] = []  // zero or one child; an array keeps the recursive struct finite
        var wildcard: [String: Endpoint] = [:]
        var endpoints: [String: Endpoint] = [:]
    }

    private var root = Node()
    /// Every registered route, in order, for route listings and route-walking tests.
    public private(set) var routes: [(method: String, path: String)] = []
    /// Those of `routes` only service bindings reach, as "METHOD path" (what no public listing shows).
    public private(set) var internalRoutes: Set<String> = []
    /// The methods of the routes that stream their bodies: a request of another method needs no lookup to
    /// know it buffers (most workers have none, and every request with a body asks before it is read).
    private var streamingMethods: Set<String> = []

    public init() {}

    /// Adds a route; an `internal` one answers only service-binding calls (others get 404). With
    /// `streamBody`, the handler runs as soon as the head is read and takes the body (up to that many
    /// bytes, beyond the host's `max_body_bytes`) from `request.bodyChunks()` as it arrives.
    public mutating func add(_ method: String, _ path: String, internal isInternal: Bool = false, streamBody: Int? = nil,
                             _ handler: @escaping Handler) {
        let segments = Router.segments(path)
        var names: [String] = []
        for segment in segments where segment.hasPrefix(":") { names.append(String(segment.dropFirst())) }
        let endpoint = Endpoint(handler: handler, parameterNames: names, method: method.uppercased(), pattern: path, isInternal: isInternal,
                                streamedBodyLimit: streamBody)
        Router.insert(endpoint, method: method.uppercased(), segments: segments[...], into: &root)
        routes.append((method.uppercased(), path))
        if isInternal { internalRoutes.insert(method.uppercased() + " " + path) }
        if streamBody != nil && !isInternal { streamingMethods.insert(method.uppercased()) }
    }

    public mutating func get(_ path: String, internal isInternal: Bool = false, _ handler: @escaping Handler) {
        add("GET", path, internal: isInternal, handler)
    }
    public mutating func post(_ path: String, internal isInternal: Bool = false, streamBody: Int? = nil, _ handler: @escaping Handler) {
        add("POST", path, internal: isInternal, streamBody: streamBody, handler)
    }
    public mutating func put(_ path: String, internal isInternal: Bool = false, streamBody: Int? = nil, _ handler: @escaping Handler) {
        add("PUT", path, internal: isInternal, streamBody: streamBody, handler)
    }
    public mutating func patch(_ path: String, internal isInternal: Bool = false, _ handler: @escaping Handler) {
        add("PATCH", path, internal: isInternal, handler)
    }
    public mutating func delete(_ path: String, internal isInternal: Bool = false, _ handler: @escaping Handler) {
        add("DELETE", path, internal: isInternal, handler)
    }

    private static func insert(_ endpoint: Endpoint, method: String, segments: ArraySlice<Substring>, into node: inout Node) {
        guard let first = segments.first else {
            node.endpoints[method] = endpoint
            return
        }
        if first == "*" {
            precondition(segments.count == 1, "'*' must be the last segment of \(endpoint.pattern)")
            node.wildcard[method] = endpoint
        } else if first.hasPrefix(":") {
            if node.parameter.isEmpty { node.parameter = [Node()] }
            insert(endpoint, method: method, segments: segments.dropFirst(), into: &node.parameter[0])
        } else {
            insert(endpoint, method: method, segments: segments.dropFirst(), into: &node.literals[String(first), default: Node()])
        }
    }

    /// The streamed-body limit of the route `method path` would reach, nil when it buffers (or is unrouted).
    public func streamedBodyLimit(method: String, path: String) -> Int? {
        guard !streamingMethods.isEmpty else { return nil }
        let method = ASCII.uppercased(method)
        guard streamingMethods.contains(method) else { return nil }
        var values: [Substring] = []
        guard let endpoints = Router.find(Router.segments(path)[...], in: root, values: &values),
              let endpoint = endpoints.table[method], !endpoint.isInternal else { return nil }
        return endpoint.streamedBodyLimit
    }

    public func match(method: String, path: String) -> Match {
        switch resolve(method: method, path: path) {
        case .found(let endpoint, let parameters): .found(endpoint.handler, parameters: parameters, isInternal: endpoint.isInternal)
        case .methodNotAllowed(let allowed): .methodNotAllowed(allowed: allowed)
        case .notFound: .notFound
        }
    }

    private enum Resolution {
        case found(Endpoint, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private func resolve(method: String, path: String) -> Resolution {
        let segments = Router.segments(path)
        var values: [Substring] = []
        guard let endpoints = Router.find(segments[...], in: root, values: &values) else { return .notFound }
        let method = ASCII.uppercased(method)
        guard let endpoint = endpoints.table[method] ?? (method == "HEAD" ? endpoints.table["GET"] : nil) else {
            var allowed = Set(endpoints.table.keys)
            if allowed.contains("GET") { allowed.insert("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        var parameters: [String: String] = [:]
        let captured = endpoints.wildcardRest.map { Array(values) + [$0] } ?? values
        for (name, value) in zip(endpoint.parameterNames, captured) {
            parameters[name] = PercentDecoding.decode(value)
        }
        if let rest = endpoints.wildcardRest { parameters["*"] = PercentDecoding.decode(rest) }
        return .found(endpoint, parameters: parameters)
    }

    private struct Found {
        var table: [String: Endpoint]
        var wildcardRest: Substring?
    }

    private static func find(_ segments: ArraySlice<Substring>, in node: Node, values: inout [Substring]) -> Found? {
        guard let first = segments.first else {
            if !node.endpoints.isEmpty { return Found(table: node.endpoints) }
            return node.wildcard.isEmpty ? nil : Found(table: node.wildcard, wildcardRest: "")
        }
        if let child = node.literals[String(first)], let found = find(segments.dropFirst(), in: child, values: &values) {
            return found
        }
        if let child = node.parameter.first, !first.isEmpty {
            values.append(first)
            if let found = find(segments.dropFirst(), in: child, values: &values) { return found }
            values.removeLast()
        }
        if !node.wildcard.isEmpty {
            return Found(table: node.wildcard, wildcardRest: segments.joined(separator: "/")[...])
        }
        return nil
    }

    /// `/a/b/` -> ["a", "b", ""]: a trailing slash is significant, as in most routers.
    /// Splits on bytes, not Characters: this runs for every request.
    static func segments(_ path: String) -> [Substring] {
        let ranges = path.utf8.withContiguousStorageIfAvailable(segmentRanges)
            ?? Array(path.utf8).withUnsafeBufferPointer(segmentRanges)
        let utf8 = path.utf8
        return ranges.map { range in
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
        }
    }

    private static func segmentRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var start = bytes.first == UInt8(ascii: "/") ? 1 : 0
        guard start < bytes.count else { return [] }
        var ranges: [Range<Int>] = []
        for i in start..<bytes.count where bytes[i] == UInt8(ascii: "/") {
            ranges.append(start..<i)
            start = i + 1
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    /// Routes the request and runs its handler; unmatched requests get JSON 404/405 errors.
    public func handle(_ request: Request, context: RequestContext) async throws -> Response {
        switch resolve(method: request.method, path: request.path) {
        case .found(let endpoint, _) where endpoint.isInternal && !request.isInternal:
            throw RouteNotFound(method: request.method, path: request.path)
        case .found(let endpoint, let parameters):
            MatchedRoute.current?.report(method: endpoint.method, pattern: endpoint.pattern)
            var context = context
            context.parameters = parameters
            return try await endpoint.handler(request, context)
        case .methodNotAllowed(let allowed):
            throw MethodNotAllowed(method: request.method, path: request.path, allowed: allowed)
        case .notFound:
            throw RouteNotFound(method: request.method, path: request.path)
        }
    }
}

/// No route for this path.
public struct RouteNotFound: HTTPError {
    public let method: String
    public let path: String
    public var status: Int { 404 }
    public var code: String { "not_found" }
    public var message: String { "no route for \(method) \(path)" }
}

/// A route exists for this path, but not for this method.
public struct MethodNotAllowed: HTTPError {
    public let method: String
    public let path: String
    public let allowed: [String]
    public var status: Int { 405 }
    public var code: String { "method_not_allowed" }
    public var message: String { "\(method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))" }
    public var details: JSONValue? { .object(["allowed": .array(allowed.map(JSONValue.string))]) }
    public var headers: HTTPHeaders { ["allow": allowed.joined(separator: ", ")] }
}

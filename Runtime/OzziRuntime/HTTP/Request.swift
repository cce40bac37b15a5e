/// An HTTP request as a worker sees it.
public struct Request: Sendable {
    public var method: String
    /// The request target exactly as received: origin-form (path and query) or absolute-form (a full URI).
    public let target: String
    /// The path the worker routes on: percent-encoded, without the query, below the route's mount point.
    public var path: String
    /// The raw query string without `?`, or nil.
    public var query: String?
    public var headers: HTTPHeaders
    /// The whole body, for routes that take it buffered (the default); empty when it is streamed.
    public var body: [UInt8] {
        didSet { json = nil }
    }
    /// The JSON value an in-process caller wrote `body` from (`init(method:target:headers:json:)`): the worker
    /// a service binding calls reads it rather than parsing the bytes again. Nil for requests from a socket,
    /// and once `body` is replaced.
    public private(set) var json: JSONValue?
    /// The body still arriving, for routes registered with `streamBody:`; nil when it was buffered.
    public internal(set) var streamedBody: RequestBodyStream?
    /// A unique id for this request, also sent back in `X-Request-Id`.
    public let id: String
    /// The peer's address, `ip:port`.
    public let remoteAddress: String
    /// True for calls through a service binding; only these reach routes marked `internal`.
    public internal(set) var isInternal = false

    public init(
        method: String, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        id: String = RequestID.next(), remoteAddress: String = "in-process"
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.id = id
        self.remoteAddress = remoteAddress
        (path, query) = Request.split(target: target)
    }

    /// A request whose body is `json`, written once and kept as the value (`json`), with its content type.
    public init(method: String, target: String, headers: HTTPHeaders = [:], json: JSONValue, id: String = RequestID.next()) {
        var headers = headers
        if headers["content-type"] == nil { headers["content-type"] = "application/json" }
        self.init(method: method, target: target, headers: headers, body: json.jsonBytes, id: id)
        self.json = json
    }

    /// The host the request is for, lowercased and without its port: the authority of an absolute-form
    /// target, whose `Host` header is then ignored (RFC 9112 §3.2.2), else the `Host` header. Routing uses it.
    public var host: String? { Request.host(target: target, headers: headers) }

    static func host(target: String, headers: HTTPHeaders) -> String? {
        // An absolute-form target that does not parse has no host: the parser refuses it with 400 anyway.
        if AbsoluteTarget.isAbsoluteForm(target) { return try? AbsoluteTarget(target).host }
        guard let host = headers["host"] else { return nil }
        let name = host.hasPrefix("[") ? host.prefix { $0 != "]" } + "]" : host.prefix { $0 != ":" }
        return name.lowercased()
    }

    /// The decoded value of query parameter `name` (first occurrence).
    public func queryParameter(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if PercentDecoding.decode(parts[0], plusAsSpace: true) == name {
                return parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : ""
            }
        }
        return nil
    }

    /// Every query parameter, decoded, in order (a name may repeat).
    public func queryParameters() -> [(name: String, value: String)] {
        query.map(Self.pairs) ?? []
    }

    /// The `name=value&...` pairs of a query or an `application/x-www-form-urlencoded` body, decoded.
    public static func pairs(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(parts[0], plusAsSpace: true), parts.count > 1 ? PercentDecoding.decode(parts[1], plusAsSpace: true) : "")
        }
    }

    /// The body as a chunk sequence, streamed or not: a route that streams also serves in-process callers.
    public func bodyChunks() -> RequestBodyStream {
        streamedBody ?? RequestBodyStream(bytes: body)
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Splits origin-form or absolute-form targets into path and query (byte offsets: this runs per request).
    static func split(target: String) -> (path: String, query: String?) {
        var target = target
        if AbsoluteTarget.isAbsoluteForm(target), let absolute = try? AbsoluteTarget(target) {
            target = absolute.pathAndQuery
        }
        let (pathEnd, queryStart, end) = target.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int?, Int) in
            let end = bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
            guard let mark = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) else { return (end, nil, end) }
            return (mark, mark + 1, end)
        } ?? (target.utf8.count, nil, target.utf8.count)
        let utf8 = target.utf8
        let offset = { (n: Int) in utf8.index(utf8.startIndex, offsetBy: n) }
        let path = pathEnd == 0 ? "/" : String(Substring(utf8[utf8.startIndex..<offset(pathEnd)]))
        return (path, queryStart.map { String(Substring(utf8[offset($0)..<offset(end)])) })
    }
}

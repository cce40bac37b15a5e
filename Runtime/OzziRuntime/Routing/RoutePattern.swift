/// A Cloudflare-style route pattern that picks a worker: `api.example.com/v1/*`, `*.example.com/*`,
/// or path-only `/api/*` for local development.
///
/// `*` may lead the host (any subdomain; `*example.com` also matches the apex) and end the path (prefix).
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    public let host: String?
    public let hostIsWildcard: Bool
    public let path: String
    public let pathIsPrefix: Bool
    /// With a prefix path, the worker sees the path below the prefix (`/widget/loader.js` -> `/loader.js`).
    public let stripPrefix: Bool
    /// The pattern names a port (`localhost:8787/*`): compared with the request's host and port.
    private let hostHasPort: Bool

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case misplacedWildcard(String)
        case missingPath(String)

        public var description: String {
            switch self {
            case .empty: "a route pattern is empty"
            case .misplacedWildcard(let p): "'\(p)': '*' may only lead the host or end the path"
            case .missingPath(let p): "'\(p)': a pattern needs a path, such as '/*'"
            }
        }
    }

    public init(_ pattern: String, stripPrefix: Bool = false) throws(ParseError) {
        var text = Substring(pattern.trimmingASCIISpaces())
        guard !text.isEmpty else { throw .empty }
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        guard let slash = text.firstIndex(of: "/") else { throw .missingPath(pattern) }
        let hostPart = text[..<slash].lowercased()
        var pathPart = text[slash...]
        if hostPart.isEmpty {
            host = nil
            hostIsWildcard = false
        } else {
            hostIsWildcard = hostPart.hasPrefix("*")
            let rest = hostIsWildcard ? String(hostPart.dropFirst()) : hostPart
            guard !rest.contains("*") else { throw .misplacedWildcard(pattern) }
            host = rest
        }
        pathIsPrefix = pathPart.hasSuffix("*")
        if pathIsPrefix { pathPart = pathPart.dropLast() }
        guard !pathPart.contains("*") else { throw .misplacedWildcard(pattern) }
        path = String(pathPart)
        self.stripPrefix = stripPrefix && pathIsPrefix
        hostHasPort = host?.utf8.contains(UInt8(ascii: ":")) ?? false
    }

    /// Whether a request for `host` (port included or not) and `path` falls under this pattern.
    public func matches(host requestHost: String?, path requestPath: String) -> Bool {
        matches(RequestHost(requestHost), path: requestPath)
    }

    /// A request's host as patterns compare it, worked out once for a whole route table.
    struct RequestHost {
        /// Lowercased, with its port if it had one.
        let full: String
        /// Without the port.
        let name: String

        init?(_ host: String?) {
            guard let host = host?.lowercased() else { return nil }
            full = host
            name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.prefix { $0 != ":" })
        }
    }

    func matches(_ requestHost: RequestHost?, path requestPath: String) -> Bool {
        if let host {
            guard let requestHost else { return false }
            let candidate = hostHasPort ? requestHost.full : requestHost.name
            if hostIsWildcard {
                guard candidate.hasSuffix(host) else { return false }
            } else if candidate != host {
                return false
            }
        }
        return pathIsPrefix ? requestPath.hasPrefix(path) : requestPath == path
    }

    /// The path the worker sees for a request routed here.
    public func workerPath(for requestPath: String) -> String {
        guard stripPrefix else { return requestPath }
        let mount = path.hasSuffix("/") ? String(path.dropLast()) : path
        let rest = requestPath.dropFirst(mount.count)
        return rest.isEmpty ? "/" : String(rest)
    }

    /// Larger is more specific: exact host > wildcard host > any host, then longer paths, then exact paths.
    var specificity: (Int, Int, Int) {
        (host == nil ? 0 : (hostIsWildcard ? 1 : 2), path.count, pathIsPrefix ? 0 : 1)
    }

    public var description: String {
        (hostIsWildcard ? "*" : "") + (host ?? "") + path + (pathIsPrefix ? "*" : "") + (stripPrefix ? " (mounted)" : "")
    }

}

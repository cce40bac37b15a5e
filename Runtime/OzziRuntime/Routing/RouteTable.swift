/// The host's table from route patterns to workers; the most specific matching pattern wins.
public struct RouteTable: Sendable {
    public struct Entry: Sendable {
        public let pattern: RoutePattern
        public let worker: String
    }

    public let entries: [Entry]
    private let hostPatterns: Bool

    public init(_ entries: [(RoutePattern, String)]) {
        self.entries = entries
            .map { Entry(pattern: $0.0, worker: $0.1) }
            .sorted { $0.pattern.specificity > $1.pattern.specificity }
        hostPatterns = entries.contains { $0.0.host != nil }
    }

    /// The entry for a request; `host` is evaluated only if some pattern names a host.
    public func match(host: @autoclosure () -> String?, path: String) -> Entry? {
        let host = hostPatterns ? RoutePattern.RequestHost(host()) : nil
        return entries.first { $0.pattern.matches(host, path: path) }
    }

    /// The same pattern routed to two workers: ambiguous, refused at start-up.
    public var conflicts: [(RoutePattern, String, String)] {
        var seen: [String: String] = [:]
        var found: [(RoutePattern, String, String)] = []
        for entry in entries {
            let key = entry.pattern.description
            if let other = seen[key], other != entry.worker { found.append((entry.pattern, other, entry.worker)) }
            seen[key] = entry.worker
        }
        return found
    }
}

/// An origin a widget may be framed by and called from: `scheme://host[:port]`, http or https, the host a
/// DNS name, `localhost` or an IPv4 address, or `*.` and a domain for every subdomain of it (as CSP's
/// host-source reads it: not the domain itself). Kept lower-cased and without a default port, so one
/// origin has one spelling — what a browser sends in `Origin` — and it is safe to write into a
/// `Content-Security-Policy` header as it is.
struct WidgetOrigin: Hashable, Sendable, CustomStringConvertible {
    let scheme: String
    /// Without the `*.` of a wildcard.
    let host: String
    let wildcard: Bool
    /// Nil for the scheme's default.
    let port: Int?

    var description: String {
        scheme + "://" + (wildcard ? "*." : "") + host + (port.map { ":\($0)" } ?? "")
    }

    /// Why `text` is not an origin, or the origin.
    static func parse(_ text: String) -> Result<WidgetOrigin, OriginError> {
        var rest = Substring(text.lowercased())
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard rest.utf8.count <= 260 else { return .failure(.init("is longer than 260 characters")) }
        let scheme: String
        if rest.hasPrefix("https://") {
            scheme = "https"
        } else if rest.hasPrefix("http://") {
            scheme = "http"
        } else {
            return .failure(.init("must start with https:// or http://"))
        }
        rest = rest.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { "/?#@\\".contains($0) }) else {
            return .failure(.init("must be only scheme, host and port (no path, query, or user)"))
        }
        var port: Int?
        if let colon = rest.lastIndex(of: ":") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else {
                return .failure(.init("has a port that is not 1-65535"))
            }
            port = number == (scheme == "https" ? 443 : 80) ? nil : number
            rest = rest[..<colon]
        }
        let wildcard = rest.hasPrefix("*.")
        if wildcard { rest = rest.dropFirst(2) }
        let host = String(rest)
        guard Self.isHostName(host) else { return .failure(.init("has a host that is not a DNS name, localhost, or an IPv4 address")) }
        if wildcard, !host.contains(".") { return .failure(.init("may use *. only before a domain with a dot (*.example.com)")) }
        return .success(WidgetOrigin(scheme: scheme, host: host, wildcard: wildcard, port: port))
    }

    /// Whether the `Origin` a browser sent (`https://shop.example.com`, no wildcard) is this one or, for a
    /// wildcard, one of its subdomains.
    func admits(_ origin: WidgetOrigin) -> Bool {
        guard !origin.wildcard, origin.scheme == scheme, origin.port == port else { return false }
        return wildcard ? origin.host.hasSuffix("." + host) : origin.host == host
    }

    /// Labels of letters, digits and inner hyphens, 1-63 bytes each, 253 in all.
    private static func isHostName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        }
    }

    struct OriginError: Error, Equatable {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

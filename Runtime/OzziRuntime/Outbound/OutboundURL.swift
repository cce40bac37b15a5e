/// The origin parts of an http(s) URL, enough to check it against `allowed_outbound_hosts`.
public struct OutboundURL: Equatable, Sendable {
    public let scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    public let port: Int

    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close]).lowercased()
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon].lowercased()
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority.lowercased()
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = scheme == "https" ? 443 : 80
        }
    }

    public var origin: String { "\(scheme)://\(host):\(port)" }
}

/// One `allowed_outbound_hosts` entry: `scheme://host:port`, each part exact or `*`; the host may also
/// be `*.example.com`. A missing port means the scheme's default.
public struct OutboundHostPattern: Sendable, Equatable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: String

    public init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard ["http", "https", "*"].contains(scheme) else { return nil }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close]).lowercased()
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? String(rest.dropFirst()) : ""
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon].lowercased()
            port = String(authority[authority.index(after: colon)...])
        } else {
            host = authority.lowercased()
            port = ""
        }
        guard !host.isEmpty, port.isEmpty || port == "*" || Int(port) != nil else { return nil }
        if host.contains("*"), host != "*", !(host.hasPrefix("*.") && !host.dropFirst(2).contains("*")) { return nil }
    }

    func allows(_ url: OutboundURL) -> Bool {
        guard scheme == "*" || scheme == url.scheme else { return false }
        let hostMatches = host == "*" || host == url.host || (host.hasPrefix("*.") && url.host.hasSuffix(host.dropFirst()))
        guard hostMatches else { return false }
        switch port {
        case "*": return true
        case "": return url.port == (url.scheme == "https" ? 443 : 80)
        default: return Int(port) == url.port
        }
    }

    public var description: String { "\(scheme)://\(host)\(port.isEmpty ? "" : ":" + port)" }
}

/// A request-target in absolute-form, `http://host[:port]/path?query` (RFC 9112 §3.2.2), as proxies and
/// some clients send it. The server must then take the host from this authority and ignore `Host`:
/// a front proxy that routes by the URI and a host that routed by `Host` would send one request to two
/// different workers.
struct AbsoluteTarget: Equatable {
    /// The authority's host, lowercased, without the port; an IPv6 literal keeps its brackets.
    let host: String
    /// What follows the authority: the path (`/` when the URI has none) and the query.
    let pathAndQuery: String

    /// Why an absolute-form target is refused.
    enum Invalid: Error, Equatable, CustomStringConvertible {
        case scheme(String)
        case authority(String)

        var description: String {
            switch self {
            case .scheme(let scheme): "absolute-form request target with scheme '\(scheme)'; only http and https are served"
            case .authority(let why): "absolute-form request target: \(why)"
            }
        }
    }

    /// Whether `target` claims absolute-form: anything but origin-form (`/...`) and asterisk-form (`*`).
    static func isAbsoluteForm(_ target: String) -> Bool {
        guard let first = target.utf8.first else { return false }
        return first != UInt8(ascii: "/") && first != UInt8(ascii: "*")
    }

    /// Parses `scheme "://" authority path-abempty [ "?" query ]`; the scheme must be http or https and the
    /// authority a non-empty host with an optional port, without userinfo (RFC 9110 §4.2.1, §4.2.4).
    init(_ target: String) throws(Invalid) {
        let utf8 = Array(target.utf8)
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { throw .scheme(target) }
        let scheme = String(decoding: utf8[..<colon], as: UTF8.self)
        guard scheme.equalsIgnoringASCIICase("http") || scheme.equalsIgnoringASCIICase("https") else { throw .scheme(scheme) }
        let slashes = colon + 1
        guard utf8.count >= slashes + 2, utf8[slashes] == UInt8(ascii: "/"), utf8[slashes + 1] == UInt8(ascii: "/") else {
            throw .authority("no '//' and authority after the scheme")
        }
        let start = slashes + 2
        let end = utf8[start...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? utf8.count
        host = try Self.host(utf8[start..<end])
        let rest = String(decoding: utf8[end...], as: UTF8.self)
        pathAndQuery = rest.hasPrefix("/") ? rest : "/" + rest
    }

    /// `host [ ":" port ]` with host = IP-literal / reg-name (RFC 3986 §3.2.2, no zone identifiers).
    private static func host(_ authority: ArraySlice<UInt8>) throws(Invalid) -> String {
        let text = String(decoding: authority, as: UTF8.self)
        if authority.contains(UInt8(ascii: "@")) { throw .authority("userinfo in '\(text)'") }
        let hostEnd: Int
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")), close > authority.startIndex + 1,
                  authority[(authority.startIndex + 1)..<close].allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { throw .authority("invalid IPv6 literal in '\(text)'") }
            hostEnd = close + 1
        } else {
            hostEnd = authority.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex
            guard hostEnd > authority.startIndex else { throw .authority("no host in '\(text)'") }
            var i = authority.startIndex
            while i < hostEnd {
                let b = authority[i]
                if b == UInt8(ascii: "%") {
                    guard i + 2 < hostEnd, isHexDigit(authority[i + 1]), isHexDigit(authority[i + 2]) else {
                        throw .authority("invalid percent-encoding in '\(text)'")
                    }
                    i += 3
                    continue
                }
                guard isRegNameByte(b) else { throw .authority("invalid byte in the host '\(text)'") }
                i += 1
            }
        }
        if hostEnd < authority.endIndex {
            let port = authority[(hostEnd + 1)...]
            guard authority[hostEnd] == UInt8(ascii: ":"), port.count <= 5,
                  port.allSatisfy(ASCII.isDigit), (Int(String(decoding: port, as: UTF8.self)) ?? 0) <= 65535
            else { throw .authority("invalid port in '\(text)'") }
        }
        return String(decoding: authority[..<hostEnd], as: UTF8.self).lowercased()
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        ASCII.isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
    }

    /// unreserved / sub-delims (RFC 3986 §2.2, §2.3); `%` is handled by the caller.
    private static func isRegNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=".utf8.contains(b)
        }
    }
}

/// Where a Redis server is: `redis://[[user]:password@]host[:port][/db][?connect_timeout=seconds]` (the form
/// `OZZI_REDIS_URL` takes). `connect_timeout` is libpq's parameter of that name, so both backends' URLs
/// say how long a host waits for its server the same way.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int
    /// How long dialling and the handshake may take before the server counts as unreachable; nil is the
    /// client's default.
    public var connectTimeoutSeconds: Int?

    public init(host: String, port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0,
                connectTimeoutSeconds: Int? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// Parses a `redis://` URL; the error names the URL with its password masked.
    public init(parsing text: String) throws(RedisError) {
        let invalid = { (reason: String) in RedisError.invalidURL(Self.masked(text), reason: reason) }
        guard text.hasPrefix("redis://") else { throw invalid("the scheme must be redis://") }
        var rest = Substring(text.dropFirst("redis://".count))
        var connectTimeout: Int?
        if let mark = rest.firstIndex(of: "?") {
            for parameter in rest[rest.index(after: mark)...].split(separator: "&") {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair[0] == "connect_timeout" else {
                    throw invalid("unknown parameter '\(pair[0])' (only connect_timeout is read)")
                }
                guard pair.count == 2, let seconds = Int(pair[1]), seconds > 0 else {
                    throw invalid("connect_timeout must be a whole number of seconds above 0")
                }
                connectTimeout = seconds
            }
            rest = rest[..<mark]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var user: String?, password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = credentials[..<colon].isEmpty ? nil : Self.percentDecoded(credentials[..<colon])
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                // `redis://secret@host` is the password alone, as redis-cli reads it.
                password = Self.percentDecoded(credentials)
            }
        }
        var host = rest, port = 6379
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("an IPv6 host needs its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { throw invalid("bad port") }
                port = number
            }
        } else if let colon = rest.lastIndex(of: ":") {
            guard let number = Int(rest[rest.index(after: colon)...]) else { throw invalid("bad port") }
            host = rest[..<colon]
            port = number
        }
        guard !host.isEmpty else { throw invalid("no host") }
        guard (1...65535).contains(port) else { throw invalid("the port must be 1-65535") }
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else { throw invalid("the path must be a database number") }
            database = number
        }
        self.init(host: String(host), port: port, user: user, password: password, database: database,
                  connectTimeoutSeconds: connectTimeout)
    }

    /// The URL with its password shown as `***`: what logs and errors print.
    public var description: String {
        var text = "redis://"
        if user != nil || password != nil {
            text += user ?? ""
            if password != nil { text += ":***" }
            text += "@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)"
        if database != 0 { text += "/\(database)" }
        if let connectTimeoutSeconds { text += "?connect_timeout=\(connectTimeoutSeconds)" }
        return text
    }

    /// `text` with whatever stands between `scheme://...:` and `@` replaced by `***`, for URLs that do not parse.
    static func masked(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else {
            return text
        }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else {
            return text[..<scheme.upperBound] + "***" + text[at...]
        }
        return text[..<text.index(after: colon)] + "***" + text[at...]
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation

/// The name server a `DNSClient` asks: a host (an IP address, usually) and a port.
public struct DNSServerAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16 = 53) {
        self.host = host
        self.port = port
    }

    /// Reads `host`, `host:port`, `[ipv6]:port` or a bare IPv6 address (port 53); nil for anything else.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.contains(where: \.isWhitespace) else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close]), rest = text[text.index(after: close)...]
            guard !host.isEmpty else { return nil }
            if rest.isEmpty {
                self.init(host: host)
            } else {
                guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else { return nil }
                self.init(host: host, port: port)
            }
            return
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1 {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty, let port = UInt16(parts[1]), port > 0 else { return nil }
            self.init(host: String(parts[0]), port: port)
        } else {
            guard !text.isEmpty else { return nil }
            self.init(host: text)
        }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The first `nameserver` of a resolv.conf(5) text.
    public static func first(inResolvConf text: String) -> DNSServerAddress? {
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "nameserver" { return DNSServerAddress(host: String(words[1])) }
        }
        return nil
    }

    /// The system's name server: the first of /etc/resolv.conf, or 127.0.0.1 as the C library assumes
    /// when it names none.
    public static func system(resolvConf path: String = "/etc/resolv.conf") -> DNSServerAddress {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap(first(inResolvConf:)) ?? DNSServerAddress(host: "127.0.0.1")
    }
}

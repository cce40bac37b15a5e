import Glibc

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
///
/// Text is parsed with `inet_pton`, which takes only the canonical spellings: a dotted quad of four
/// decimal parts without leading zeros, or RFC 4291 IPv6 text. The shorthand that `inet_aton`, curl and
/// browsers also read as IPv4 (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) is not an address here;
/// `isNumericHost` tells such a host apart from a name, so that it can be refused rather than resolved.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses an IP literal; IPv6 may be in brackets. Zone ids (`fe80::1%eth0`) are refused.
    public init?(_ text: some StringProtocol) {
        let literal = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, literal, &v6) == 1 else { return nil }
        bytes = withUnsafeBytes(of: v6) { Array($0) }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The canonical text (`inet_ntop`): `127.0.0.1`, `::ffff:127.0.0.1`, `2001:db8::1`.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { _ = inet_ntop(isIPv4 ? AF_INET : AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(cBuffer: buffer)
    }

    /// Whether a URL host "ends in a number" (WHATWG URL): its last label is decimal digits or `0x` hex.
    /// Resolvers and browsers read such a host as an IPv4 address in some spelling, never as a name.
    public static func isNumericHost(_ host: some StringProtocol) -> Bool {
        var labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard let last = labels.last, !last.isEmpty else { return false }
        if last.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let lowered = last.lowercased()
        return lowered.hasPrefix("0x") && lowered.dropFirst(2).allSatisfy { $0.isHexDigit && $0.isASCII }
    }
}

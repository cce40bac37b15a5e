import Glibc

/// Addresses a user-supplied URL must not reach (server-side request forgery): loopback, private,
/// link-local, carrier-grade NAT, unique-local, unspecified and multicast ranges, in IPv4 and IPv6
/// (IPv4-mapped IPv6 included).
public enum PrivateAddress {
    /// Whether `address` (an IP literal, IPv6 with or without brackets) is in a refused range; a text
    /// that is not an IP literal counts as private, so a mistake refuses rather than allows.
    public static func isPrivate(_ address: String) -> Bool {
        let text = address.hasPrefix("[") && address.hasSuffix("]") ? String(address.dropFirst().dropLast()) : address
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return isPrivate(v4: withUnsafeBytes(of: v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return true }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF { return isPrivate(v4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0..<15].allSatisfy({ $0 == 0 }) { return true }                 // :: and ::1
        if b[0] & 0xFE == 0xFC { return true }                               // fc00::/7 unique local
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return true }                 // fe80::/10 link-local
        if b[0] == 0xFF { return true }                                      // multicast
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B { return isPrivate(v4: Array(b[12..<16])) }  // 64:ff9b::/96 NAT64
        return false
    }

    static func isPrivate(v4 b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (169, 254): return true
        case (172, 16...31): return true
        case (192, 168): return true
        case (100, 64...127): return true                                    // carrier-grade NAT
        case (224...255, _): return true                                     // multicast, reserved, broadcast
        default: return false
        }
    }

    /// The addresses `host` resolves to (an IP literal resolves to itself), looked up off the loop.
    public static func resolve(_ host: String, pool: BlockingPool = .shared) async throws -> [String] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return try await pool.run {
            var hints = addrinfo()
            hints.ai_protocol = Int32(IPPROTO_TCP)  // one entry per address, not one per socket type
            var list: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(name, nil, &hints, &list)
            guard rc == 0 else { throw ResolutionFailure(host: host, reason: String(cString: gai_strerror(rc))) }
            defer { freeaddrinfo(list) }
            var addresses: [String] = []
            var node = list
            while let entry = node {
                var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                if entry.pointee.ai_family == AF_INET {
                    var address = entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
                } else if entry.pointee.ai_family == AF_INET6 {
                    var address = entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
                }
                let text = String(cString: buffer)
                if !text.isEmpty, !addresses.contains(text) { addresses.append(text) }
                node = entry.pointee.ai_next
            }
            return addresses
        }
    }

    public struct ResolutionFailure: Error, CustomStringConvertible {
        public let host: String
        public let reason: String
        public var description: String { "\(host) does not resolve: \(reason)" }
    }
}

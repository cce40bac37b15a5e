import Glibc

/// Addresses a user-supplied URL must not reach (server-side request forgery): every special-purpose
/// range of IPv4 and IPv6 (IANA's registries), and every IPv6 spelling of an IPv4 address.
///
/// One rule for text, DNS answers and the socket curl is about to connect: parse to bytes strictly
/// (`IPAddress`), then `classify` the bytes. IPv6 is allowed only in global unicast (2000::/3) or as a
/// spelling of a public IPv4 address, so a range this table forgets is refused rather than reached.
public enum PrivateAddress {
    /// Why an address is refused: the range it is in, and for an IPv6 form of an IPv4 address, which.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public let range: String
        /// For an IPv6 form of an IPv4 address: "the IPv4-compatible form of 127.0.0.1".
        public let form: String?

        init(_ reason: String, _ range: String, form: String? = nil) {
            self.reason = reason
            self.range = range
            self.form = form
        }

        public var description: String {
            form.map { "\($0), which is \(reason) (\(range))" } ?? "\(reason) (\(range))"
        }
    }

    /// Whether `address` (an IP literal, IPv6 with or without brackets) is refused; a text that is not
    /// a strict IP literal counts as refused, so a mistake refuses rather than allows.
    public static func isPrivate(_ address: String) -> Bool {
        guard let parsed = IPAddress(address) else { return true }
        return classify(parsed) != nil
    }

    /// Why `address` may not be reached, or nil when it is a public unicast address.
    public static func classify(_ address: IPAddress) -> Refusal? {
        let b = address.bytes
        if address.isIPv4 { return v4Blocks.first { $0.contains(b) }?.refusal }
        if let embedding = Embedding(b) {
            let inner = IPAddress(bytes: embedding.ipv4)!
            if let refusal = classify(inner) {
                return Refusal(refusal.reason, refusal.range, form: "the \(embedding.form) form of \(inner)")
            }
            return embedding.reachesPublicIPv4 ? nil : Refusal("an address in \(embedding.form) form", embedding.range)
        }
        if let block = v6Blocks.first(where: { $0.contains(b) }) { return block.refusal }
        return b[0] & 0xE0 == 0x20 ? nil : Refusal("not global unicast", "outside 2000::/3")
    }

    /// An IPv6 form that carries an IPv4 address.
    private struct Embedding {
        let form: String
        let range: String
        let ipv4: [UInt8]
        /// Whether a public IPv4 address in this form is reached as itself: through the kernel (mapped), a
        /// NAT64 gateway or a 6to4 relay. The deprecated and site-internal forms are refused whatever they carry.
        let reachesPublicIPv4: Bool

        init?(_ b: [UInt8]) {
            let zeros = { (range: Range<Int>) in b[range].allSatisfy { $0 == 0 } }
            if zeros(0..<10), b[10] == 0xFF, b[11] == 0xFF {
                self.init("IPv4-mapped", "::ffff:0:0/96", Array(b[12...]), reachesPublicIPv4: true)
            } else if zeros(0..<8), b[8] == 0xFF, b[9] == 0xFF, zeros(10..<12) {
                self.init("IPv4-translated", "::ffff:0:0:0/96", Array(b[12...]), reachesPublicIPv4: false)
            } else if zeros(0..<12), !zeros(12..<15) || b[15] > 1 {  // not :: or ::1
                self.init("IPv4-compatible", "::/96", Array(b[12...]), reachesPublicIPv4: false)
            } else if b[0...3] == [0x00, 0x64, 0xFF, 0x9B], zeros(4..<12) {
                self.init("NAT64", "64:ff9b::/96", Array(b[12...]), reachesPublicIPv4: true)
            } else if b[0] == 0x20, b[1] == 0x02 {
                self.init("6to4", "2002::/16", Array(b[2...5]), reachesPublicIPv4: true)
            } else if b[0...3] == [0x20, 0x01, 0x00, 0x00] {
                // Teredo keeps the client's IPv4 address inverted in the last four bytes.
                self.init("Teredo", "2001::/32", b[12...].map { ~$0 }, reachesPublicIPv4: false)
            } else {
                return nil
            }
        }

        private init(_ form: String, _ range: String, _ ipv4: [UInt8], reachesPublicIPv4: Bool) {
            self.form = form
            self.range = range
            self.ipv4 = ipv4
            self.reachesPublicIPv4 = reachesPublicIPv4
        }
    }

    /// A network and why it is refused.
    private struct Block: Sendable {
        let network: [UInt8]
        let bits: Int
        let refusal: Refusal

        init(_ cidr: String, _ reason: String) {
            let parts = cidr.split(separator: "/")
            network = IPAddress(parts[0])!.bytes
            bits = Int(parts[1])!
            refusal = Refusal(reason, cidr)
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            let whole = bits / 8
            guard address[..<whole] == network[..<whole] else { return false }
            let rest = bits % 8
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return address[whole] & mask == network[whole] & mask
        }
    }

    // IANA IPv4 Special-Purpose Address Registry, plus multicast and the reserved class E.
    private static let v4Blocks = [
        Block("0.0.0.0/8", "unspecified (\"this network\")"),
        Block("10.0.0.0/8", "private"),
        Block("100.64.0.0/10", "carrier-grade NAT"),
        Block("127.0.0.0/8", "loopback"),
        Block("169.254.0.0/16", "link-local"),
        Block("172.16.0.0/12", "private"),
        Block("192.0.0.0/24", "reserved for IETF protocols"),
        Block("192.0.2.0/24", "documentation"),
        Block("192.88.99.0/24", "6to4 relay anycast"),
        Block("192.168.0.0/16", "private"),
        Block("198.18.0.0/15", "benchmarking"),
        Block("198.51.100.0/24", "documentation"),
        Block("203.0.113.0/24", "documentation"),
        Block("224.0.0.0/4", "multicast"),
        Block("255.255.255.255/32", "broadcast"),
        Block("240.0.0.0/4", "reserved"),
    ]

    // IANA IPv6 Special-Purpose Address Registry, and the named ranges outside 2000::/3 (refused anyway,
    // named here so the answer says why).
    private static let v6Blocks = [
        Block("::/128", "unspecified"),
        Block("::1/128", "loopback"),
        Block("64:ff9b:1::/48", "local-use NAT64"),
        Block("100::/64", "discard-only"),
        Block("2001::/23", "reserved for IETF protocols"),
        Block("2001:db8::/32", "documentation"),
        Block("3fff::/20", "documentation"),
        Block("5f00::/16", "SRv6 segment identifiers"),
        Block("fc00::/7", "unique-local"),
        Block("fec0::/10", "deprecated site-local"),
        Block("fe80::/10", "link-local"),
        Block("ff00::/8", "multicast"),
    ]

    /// Why a URL's host may not be called.
    public struct RefusedHost: Error, Equatable, CustomStringConvertible {
        public let host: String
        public let reason: String
        public var description: String { "\(host) \(reason)" }
    }

    /// The addresses a URL's `host` (lowercased, IPv6 in brackets) stands for, all public: an IP literal
    /// is itself, a name is looked up off the loop. Throws `RefusedHost` for a refused or ambiguous host.
    public static func publicAddresses(of host: String, pool: BlockingPool = .shared) async throws -> [IPAddress] {
        if let literal = IPAddress(host) {
            if let refusal = classify(literal) { throw RefusedHost(host: host, reason: "is \(refusal)") }
            return [literal]
        }
        if host.hasPrefix("[") { throw RefusedHost(host: host, reason: "is not an IPv6 address (zone ids are not allowed)") }
        if IPAddress.isNumericHost(host) {
            throw RefusedHost(host: host, reason: "is an IPv4 address in a non-standard spelling; write it as four decimal parts (a.b.c.d)")
        }
        let addresses = try await resolve(host, pool: pool)
        for address in addresses {
            if let refusal = classify(address) { throw RefusedHost(host: host, reason: "resolves to \(address), \(refusal)") }
        }
        return addresses
    }

    /// The addresses `host` resolves to, looked up off the loop.
    static func resolve(_ host: String, pool: BlockingPool) async throws -> [IPAddress] {
        try await pool.run {
            var hints = addrinfo()
            hints.ai_protocol = Int32(IPPROTO_TCP)  // one entry per address, not one per socket type
            var list: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(host, nil, &hints, &list)
            guard rc == 0 else { throw RefusedHost(host: host, reason: "does not resolve: \(String(cString: gai_strerror(rc)))") }
            defer { freeaddrinfo(list) }
            var addresses: [IPAddress] = []
            var node = list
            while let entry = node {
                let bytes: [UInt8]? = switch entry.pointee.ai_family {
                case AF_INET: entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) } }
                case AF_INET6: entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) } }
                default: nil
                }
                if let address = bytes.flatMap(IPAddress.init(bytes:)), !addresses.contains(address) { addresses.append(address) }
                node = entry.pointee.ai_next
            }
            guard !addresses.isEmpty else { throw RefusedHost(host: host, reason: "resolves to no IP address") }
            return addresses
        }
    }
}

/// The network a client speaks from, the key of per-client limits: an IPv4 address, or the /64 of an IPv6
/// one. A single host is routinely given a whole /64, so keying by address would let it mint 2^64 keys.
public enum ClientNetwork {
    public static func key(_ ip: String) -> String {
        guard let address = IPAddress(ip) else { return ip }
        let b = address.bytes
        if address.isIPv4 { return address.description }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF {
            return IPAddress(bytes: Array(b[12...]))!.description  // an IPv4 client on a dual-stack socket
        }
        return IPAddress(bytes: Array(b[0..<8]) + [UInt8](repeating: 0, count: 8))!.description + "/64"
    }
}

extension Request {
    /// The client's IP, for rate limits and the audit log.
    public var clientIP: String {
        if remoteAddress.hasPrefix("[") { return String(remoteAddress.prefix { $0 != "]" }.dropFirst()) }
        return String(remoteAddress.prefix { $0 != ":" })
    }

    /// `ClientNetwork.key` of the client's IP.
    public var clientNetwork: String { ClientNetwork.key(clientIP) }
}

import CLibUV
import Glibc

/// IPv4 and IPv6 socket addresses for listening and for logging peers.
enum SocketAddress {
    /// Parses an IP literal (`localhost` means 127.0.0.1) and port.
    static func make(host: String, port: Int) -> sockaddr_storage? {
        var storage = sockaddr_storage()
        let ip = host == "localhost" ? "127.0.0.1" : host.trimmingCharacters(in: "[]")
        let ok = withUnsafeMutablePointer(to: &storage) { pointer -> Bool in
            if ip.contains(":") {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { uv_ip6_addr(ip, Int32(port), $0) == 0 }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { uv_ip4_addr(ip, Int32(port), $0) == 0 }
        }
        return ok ? storage : nil
    }

    static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        let family = Int32(storage.ss_family)
        var name = [CChar](repeating: 0, count: 64)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    uv_ip6_name($0, &name, name.count)
                    return "[\(String(cBuffer: name))]:\(UInt16(bigEndian: $0.pointee.sin6_port))"
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                uv_ip4_name($0, &name, name.count)
                return "\(String(cBuffer: name)):\(UInt16(bigEndian: $0.pointee.sin_port))"
            }
        }
    }

    static func port(_ storage: sockaddr_storage) -> Int {
        var storage = storage
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            family == AF_INET6
                ? Int(pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) })
                : Int(pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) })
        }
    }

    static func length(_ storage: sockaddr_storage) -> socklen_t {
        socklen_t(Int32(storage.ss_family) == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s.removeFirst() }
        while let last = s.last, set.contains(last) { s.removeLast() }
        return String(s)
    }
}

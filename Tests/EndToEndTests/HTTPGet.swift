import Foundation
import OzziRuntime

/// A minimal blocking HTTP/1.1 GET over a real socket, run on a blocking-pool thread (not one of the
/// concurrency pool's few threads, which every other test running in parallel needs).
enum HTTPGet {
    struct Answer {
        let status: Int
        let headers: String
        let body: String
    }

    static func get(port: Int, path: String, host: String = "127.0.0.1") async throws -> Answer {
        try await exchange(port: port, request: "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
    }

    static func exchange(port: Int, request: String) async throws -> Answer {
        try await BlockingPool.shared.run {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            // A safety limit on a host that never answers; generous, as a loaded machine is slow.
            var limit = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
            }
            let text = String(decoding: data, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
            return Answer(status: status, headers: parts[0], body: parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }
}

enum HTTPPost {
    static func post(port: Int, path: String) async throws -> HTTPGet.Answer {
        try await HTTPGet.exchange(port: port, request: "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }
}

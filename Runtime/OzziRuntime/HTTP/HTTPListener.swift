import CLibUV
import Glibc

/// One loop's listening socket and the connections it accepted.
///
/// Every loop binds its own socket to the same port with SO_REUSEPORT, so the kernel spreads new
/// connections across loops and no accept ever crosses threads. Loop-confined to `loop`.
/// Hot stored properties opt out of dynamic exclusivity checks (`@exclusivity(unchecked)`): only the
/// loop thread touches them and no two accesses overlap; the checks cost about a tenth of a small request.
final class HTTPListener: @unchecked Sendable {
    let loop: EventLoop
    let server: HTTPServer
    private let handle: UnsafeMutablePointer<uv_tcp_t>
    @exclusivity(unchecked) private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    @exclusivity(unchecked) private var listening = false

    var limits: ServerLimits { server.limits }
    var handler: any HTTPRequestHandler { server.handler }
    var output: OutputBudget { server.output }
    var connectionCount: Int { connections.count }

    init(loop: EventLoop, server: HTTPServer) {
        self.loop = loop
        self.server = server
        handle = UVHandle.allocate(uv_tcp_t.self)
    }

    /// Fails with EADDRINUSE when anything already listens on `address`.
    ///
    /// SO_REUSEPORT would otherwise let a second host (same user) silently share the port with the first.
    static func ensureFree(_ address: sockaddr_storage) throws(UVError) {
        let fd = socket(Int32(address.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw UVError(code: -errno, operation: "socket") }
        defer { Glibc.close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = address
        let length = SocketAddress.length(address)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw UVError(code: -errno, operation: "bind \(SocketAddress.describe(address))") }
    }

    /// Binds and listens (on the loop thread); returns the bound port.
    func listen(address: sockaddr_storage) throws(UVError) -> Int {
        let fd = socket(Int32(address.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw UVError(code: -errno, operation: "socket") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = address
        let length = SocketAddress.length(address)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = -errno
            Glibc.close(fd)
            throw UVError(code: code, operation: "bind \(SocketAddress.describe(address))")
        }
        uv_tcp_init(loop.uv, handle)
        UVHandle.retain(handle, owner: self)
        try uvCheck(uv_tcp_open(handle, uv_os_sock_t(fd)), "uv_tcp_open")
        let stream = UnsafeMutableRawPointer(handle).assumingMemoryBound(to: uv_stream_t.self)
        try uvCheck(uv_listen(stream, 1024) { stream, status in
            guard status == 0 else { return }
            UVHandle.owner(of: stream!, as: HTTPListener.self).accept()
        }, "uv_listen")
        listening = true
        var local = sockaddr_storage()
        var localLength = Int32(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { uv_tcp_getsockname(handle, $0, &localLength) }
        }
        return SocketAddress.port(local)
    }

    private func accept() {
        let client = UVHandle.allocate(uv_tcp_t.self)
        uv_tcp_init(loop.uv, client)
        let listener = UnsafeMutableRawPointer(handle).assumingMemoryBound(to: uv_stream_t.self)
        guard uv_accept(listener, UnsafeMutableRawPointer(client).assumingMemoryBound(to: uv_stream_t.self)) == 0 else {
            UVHandle.close(client)
            return
        }
        let connection = HTTPConnection(loop: loop, server: self, tcp: client)
        if server.openConnection() {
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
        } else {
            connection.rejectBusy()
        }
    }

    func connectionClosed(_ connection: HTTPConnection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            server.closeConnection()
        }
    }

    func logRefusal(_ failure: HTTPParseFailure, remote: String) {
        server.logger.info("request refused", metadata: ["status": "\(failure.status)", "reason": "\(failure.message)", "remote": "\(remote)"])
    }

    func logStreamFailure(_ error: Error, requestID: String) {
        server.logger.error("streamed response failed", metadata: ["error": "\(error)", "request_id": "\(requestID)"])
    }

    /// Stops accepting and asks every connection to finish.
    func beginShutdown() {
        if listening {
            listening = false
            UVHandle.close(handle)
        }
        for connection in connections.values { connection.beginShutdown() }
    }

    /// The deadline passed: close whatever is left.
    func closeAll() {
        for connection in Array(connections.values) { connection.closeNow() }
    }
}

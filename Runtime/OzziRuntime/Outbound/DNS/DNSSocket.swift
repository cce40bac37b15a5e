import CLibUV  // the SOCK_* types come with libuv's <sys/socket.h>, not from Glibc alone on a clean build
import Glibc

/// One socket to a name server, its waits bounded by `poll` against a deadline. Used only on the
/// `BlockingPool` thread running one exchange; closed when released.
final class DNSSocket {
    private let fd: Int32
    private let stream: Bool
    private var buffer: [UInt8] = []

    /// The server's address, looked up once per question (`getaddrinfo`: a literal, or a name through
    /// the system's resolver).
    struct Peer: @unchecked Sendable {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        var family: Int32 = 0

        init(_ server: DNSServerAddress) throws(DNSError) {
            var hints = addrinfo()
            hints.ai_flags = AI_NUMERICSERV
            hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(server.host, String(server.port), &hints, &list)
            guard rc == 0, let first = list else {
                throw .unreachable("\(server.host) does not resolve: \(String(cString: gai_strerror(rc)))")
            }
            defer { freeaddrinfo(list) }
            length = first.pointee.ai_addrlen
            family = first.pointee.ai_family
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(length))) }
        }
    }

    /// Opens a UDP socket connected to `peer` (so the kernel drops datagrams from anyone else), or a TCP
    /// connection to it; nil when the connection did not complete before `deadline`.
    init?(_ peer: Peer, stream: Bool, deadline: ContinuousClock.Instant) throws(DNSError) {
        let type = (stream ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        fd = socket(peer.family, type, 0)
        guard fd >= 0 else { throw .unreachable("socket: \(Self.reason(errno))") }
        self.stream = stream
        var peer = peer
        let rc = withUnsafePointer(to: &peer.storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, peer.length) } }
        if rc != 0 {
            guard stream, errno == EINPROGRESS || errno == EINTR else { throw .unreachable("connect: \(Self.reason(errno))") }
            guard try wait(for: Int16(POLLOUT), until: deadline) else { return nil }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { throw .unreachable("connect: \(Self.reason(error))") }
        }
    }

    deinit { close(fd) }

    /// Sends a query: a datagram, or over TCP the message behind its two-byte length (RFC 1035 §4.2.2).
    /// False when TCP could not take it all before `deadline`.
    func send(_ message: [UInt8], until deadline: ContinuousClock.Instant) throws(DNSError) -> Bool {
        let bytes = stream ? [UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message : message
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent >= 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN: guard try wait(for: Int16(POLLOUT), until: deadline) else { return false }
            default: throw .unreachable("send: \(Self.reason(errno))")
            }
        }
        return true
    }

    /// The next datagram, or over TCP the next whole message; nil at `deadline`.
    func receive(until deadline: ContinuousClock.Instant) throws(DNSError) -> [UInt8]? {
        if !stream { return try read(until: deadline, maximum: 65535) }
        while true {
            if buffer.count >= 2 {
                let length = Int(buffer[0]) << 8 | Int(buffer[1])
                if buffer.count >= 2 + length {
                    defer { buffer.removeFirst(2 + length) }
                    return Array(buffer[2..<(2 + length)])
                }
            }
            guard let bytes = try read(until: deadline, maximum: 65537) else { return nil }
            guard !bytes.isEmpty else { throw .unreachable("the name server closed the TCP connection before answering") }
            buffer += bytes
        }
    }

    /// One `recv`, waiting for it as long as `deadline` allows; empty at the end of a TCP stream.
    private func read(until deadline: ContinuousClock.Instant, maximum: Int) throws(DNSError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(bytes.prefix(count)) }
            switch errno {
            case EINTR: continue
            case EAGAIN: guard try wait(for: Int16(POLLIN), until: deadline) else { return nil }
            // A connected UDP socket learns of an ICMP port-unreachable this way: nothing listens there.
            default: throw .unreachable("recv: \(Self.reason(errno))")
            }
        }
    }

    /// Waits until the socket is ready for `events`; false at `deadline`.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(DNSError) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { throw .unreachable("poll: \(Self.reason(errno))") }
        }
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

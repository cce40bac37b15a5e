import CHTTPParser
import Logging
import Synchronization

/// The HTTP/1.1 server: one listener per event loop on a shared port, a shared connection budget,
/// and graceful shutdown.
///
/// `start` binds, so a port in use fails start-up before anything runs; as a `Service` it then serves
/// until asked to stop.
public final class HTTPServer: Sendable {
    public let limits: ServerLimits
    let handler: any HTTPRequestHandler
    let logger: Logger
    let connections: ConnectionCounter
    /// Unsent output across all connections (`ServerLimits.maxBufferedOutputBytes`).
    let output: OutputBudget
    private let listeners = Mutex<[HTTPListener]>([])

    public init(limits: ServerLimits, handler: any HTTPRequestHandler, logger: Logger, connections: ConnectionCounter = ConnectionCounter(),
                output: OutputBudget? = nil) {
        self.limits = limits
        self.connections = connections
        self.output = output ?? OutputBudget(limit: limits.maxBufferedOutputBytes)
        self.handler = handler
        self.logger = logger
    }

    /// Connections open right now, across loops.
    public var openConnections: Int { connections.value }

    /// Listens on `host:port` on every loop of `group`; returns the bound port (useful with port 0).
    public func start(host: String, port: Int, on group: EventLoopGroup) async throws -> Int {
        guard let address = SocketAddress.make(host: host, port: port) else {
            throw ClientError(status: 400, code: "bad_address", message: "'\(host)' is not an IP address to listen on")
        }
        if port != 0 { try HTTPListener.ensureFree(address) }
        // http-parser's own cap is process-wide; ours is exact and applied per request, so it sits above.
        http_parser_set_max_header_size(UInt32(limits.maxHeaderBytes + 1024))
        var boundPort = port
        for loop in group.loops {
            let listener = HTTPListener(loop: loop, server: self)
            let address = SocketAddress.make(host: host, port: boundPort)!
            let result = await loop.submit { Result { () throws(UVError) -> Int in try listener.listen(address: address) } }
            boundPort = try result.get()
            listeners.withLock { $0.append(listener) }
        }
        return boundPort
    }

    func openConnection() -> Bool {
        connections.acquire(limit: limits.maxConnections)
    }

    func closeConnection() {
        connections.release()
    }

    /// Stops accepting and lets in-flight requests finish; if the calling task is cancelled meanwhile (the
    /// host's shutdown deadline passed), closes whatever is left.
    public func shutdown() async {
        let all = listeners.withLock { $0 }
        for listener in all {
            await listener.loop.submit { listener.beginShutdown() }
        }
        try? await connections.drain().wait()
        if openConnections > 0 {
            logger.warning("shutdown deadline passed; closing connections", metadata: ["open": "\(openConnections)"])
        }
        for listener in all {
            await listener.loop.submit { listener.closeAll() }
        }
    }
}

extension HTTPServer: Service, CustomStringConvertible {
    public var description: String { "HTTP server" }

    /// Serves (the listeners opened in `start`) until asked to stop, then drains: see `shutdown()`.
    public func run() async {
        try? await gracefulShutdown()
        await shutdown()
    }
}

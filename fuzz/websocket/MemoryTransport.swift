@testable import OzziRuntime

/// The connection under a WebSocket session, in memory: keeps what is written and how it was closed,
/// with `HTTPConnection`'s rules (nothing is written once closed; closing tells the session).
final class MemoryTransport: WebSocketTransport, @unchecked Sendable {
    enum Close: Equatable {
        case now
        case gracefully
        case after(milliseconds: UInt64)
    }

    /// Never run: the fuzz target calls the session directly, on this thread.
    nonisolated(unsafe) private static let idleLoop = try! EventLoop(index: 0)
    var loop: EventLoop { MemoryTransport.idleLoop }
    private(set) var output: [UInt8] = []
    private(set) var closes: [Close] = []
    private(set) var isClosed = false
    private(set) var lingering = false
    weak var session: WebSocketConnection?

    func write(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        output.append(contentsOf: bytes)
    }

    func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        closes.append(.now)
        session?.transportClosed()
    }

    func closeGracefully() {
        guard !isClosed, !lingering else { return }
        lingering = true
        closes.append(.gracefully)
    }

    func closeAfter(milliseconds: UInt64) {
        guard !isClosed else { return }
        closes.append(.after(milliseconds: milliseconds))
    }

    func waitForDrain() async throws {}
}

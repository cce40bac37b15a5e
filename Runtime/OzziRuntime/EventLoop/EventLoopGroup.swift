import Glibc

/// The host's event loops: one thread each, started together and stopped together.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]

    public init(count: Int) throws(UVError) {
        precondition(count > 0, "an event loop group needs at least one loop")
        var loops: [EventLoop] = []
        for index in 0..<count { loops.append(try EventLoop(index: index)) }
        self.loops = loops
    }

    /// One loop per online CPU.
    public static var defaultCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public func start() {
        for loop in loops { loop.start() }
    }

    /// Closes every handle on every loop and waits for their threads.
    public func shutdown() {
        for loop in loops { loop.stop() }
        for loop in loops { loop.join() }
    }
}

import Synchronization

/// Open connections across every loop, shared by the server (which counts) and the health report.
/// A draining server waits on it for the last connection to close.
public final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)
    /// Set by `drain()`: opens when the count reaches zero.
    private let emptied = Mutex<Latch?>(nil)

    public init() {}

    public var value: Int { count.load(ordering: .relaxed) }

    /// Takes one slot unless `limit` are taken.
    func acquire(limit: Int) -> Bool {
        while true {
            let current = count.load(ordering: .relaxed)
            guard current < limit else { return false }
            if count.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged { return true }
        }
    }

    func release() {
        if count.subtract(1, ordering: .relaxed).newValue == 0 {
            emptied.withLock { $0 }?.open()
        }
    }

    /// A latch that opens once no connection is open (at once when none is). For shutdown, after the
    /// listeners stopped accepting, so the count only falls.
    func drain() -> Latch {
        let latch = emptied.withLock { emptied in
            if emptied == nil { emptied = Latch() }
            return emptied!
        }
        if value == 0 { latch.open() }
        return latch
    }
}

import Synchronization

/// Response bytes queued in user space across every connection of the server, against one cap.
///
/// A connection's own high-water mark bounds what one client can make the host hold; this bounds what
/// many can together. Only writes the kernel did not take at once are counted, so the common path
/// (the whole answer fits the socket buffer) never touches the atomic.
public final class OutputBudget: Sendable {
    private let queued = Atomic<Int>(0)
    let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes queued right now, across loops.
    public var value: Int { queued.load(ordering: .relaxed) }

    /// Whether the server as a whole holds more unsent output than it may.
    var isExhausted: Bool { value > limit }

    func add(_ bytes: Int) {
        queued.add(bytes, ordering: .relaxed)
    }

    func remove(_ bytes: Int) {
        queued.subtract(bytes, ordering: .relaxed)
    }
}

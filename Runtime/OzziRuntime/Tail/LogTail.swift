import Synchronization

/// Fans each worker's live log lines and request records out to the `ozzi tail` clients watching it.
///
/// Never slows the host: with nobody watching, a record costs one atomic load; a watcher has a bounded
/// buffer, and when it reads too slowly the lines that do not fit are dropped and counted, and the
/// stream says how many before its next line.
public final class LogTail: Sendable {
    /// Lines a watcher may fall behind by before lines are dropped.
    public static let defaultBuffer = 1024

    final class Watcher: Sendable {
        let worker: String
        let continuation: AsyncStream<[UInt8]>.Continuation
        let dropped = Atomic<Int>(0)

        init(worker: String, continuation: AsyncStream<[UInt8]>.Continuation) {
            self.worker = worker
            self.continuation = continuation
        }
    }

    private let watchers = Mutex<[Int: Watcher]>([:])
    private let watching = Atomic<Int>(0)
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// True while any client watches any worker: only then are records built for the tail.
    public var isWatched: Bool { watching.load(ordering: .relaxed) > 0 }

    /// Hands the line `build` makes (only if someone watches `worker`) to each of its watchers.
    func publish(worker: String, _ build: () -> [UInt8]) {
        guard isWatched else { return }
        let targets = watchers.withLock { $0.values.filter { $0.worker == worker } }
        guard !targets.isEmpty else { return }
        let line = build()
        for watcher in targets {
            if case .dropped = watcher.continuation.yield(line) {
                watcher.dropped.add(1, ordering: .relaxed)
            }
        }
    }

    /// A stream of `worker`'s lines from now on, holding at most `buffer` unread; it ends when the client
    /// stops reading (the stream's task is cancelled) or the host stops (`finishAll`).
    func watch(worker: String, buffer: Int = LogTail.defaultBuffer) -> (lines: AsyncStream<[UInt8]>, watcher: Watcher) {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(max(1, buffer)))
        let watcher = Watcher(worker: worker, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            if watchers.withLock({ $0.removeValue(forKey: id) }) != nil { watching.subtract(1, ordering: .relaxed) }
        }
        watchers.withLock { $0[id] = watcher }
        watching.add(1, ordering: .relaxed)
        return (stream, watcher)
    }

    /// Ends every stream, so tails close before the server drains its connections.
    func finishAll() {
        for watcher in watchers.withLock({ Array($0.values) }) { watcher.continuation.finish() }
    }
}

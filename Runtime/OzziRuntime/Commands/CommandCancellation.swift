import Synchronization

/// Set by the task that waits for a run when it is cancelled; read by the pool thread pumping the
/// program's pipes, which then kills it.
final class CommandCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    var isCancelled: Bool { flag.load(ordering: .acquiring) }

    func cancel() { flag.store(true, ordering: .releasing) }
}

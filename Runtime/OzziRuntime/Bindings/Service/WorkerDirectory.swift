import Logging
import Synchronization

/// The host's built workers by name, for service bindings; filled once every worker is built, so a
/// binding may name a worker configured after its own.
public final class WorkerDirectory: Sendable {
    private let workers = Mutex<[String: any Worker]>([:])
    let loops: Mutex<[EventLoop]> = Mutex([])
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func add(_ name: String, _ worker: any Worker) {
        workers.withLock { $0[name] = worker }
    }

    func worker(_ name: String) -> (any Worker)? {
        workers.withLock { $0[name] }
    }

    /// The loop a call made off any loop thread runs its handlers on.
    var anyLoop: EventLoop? { loops.withLock { $0.first } }
}

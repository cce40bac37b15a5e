import Logging
import Synchronization

/// Host-level upkeep of bindings: every few minutes, expired KV entries are deleted (reads already skip
/// them; this returns their space). Runs on a loop, its SQL on the blocking pool.
final class Housekeeping: Sendable {
    private let namespaces: [any KVNamespace]
    private let interval: Duration
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(namespaces: [any KVNamespace], interval: Duration = .seconds(600), logger: Logger) {
        self.namespaces = namespaces
        self.interval = interval
        self.logger = logger
    }

    func start(on loop: EventLoop) {
        guard !namespaces.isEmpty else { return }
        let running = Task(executorPreference: loop) { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                await sweep()
            }
        }
        task.withLock { $0 = running }
    }

    func stop() {
        task.withLock { $0 }?.cancel()
    }

    /// Deletes expired KV entries everywhere; returns how many.
    @discardableResult
    func sweep() async -> Int {
        var swept = 0
        for namespace in namespaces {
            do {
                swept += try await namespace.sweepExpired()
            } catch {
                logger.warning("KV sweep failed", metadata: ["error": "\(error)"])
            }
        }
        if swept > 0 { logger.info("swept expired KV entries", metadata: ["count": "\(swept)"]) }
        return swept
    }
}

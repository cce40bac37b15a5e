import Logging

/// Host-level upkeep of bindings: every few minutes, expired KV entries are deleted (reads already skip
/// them; this returns their space). Its SQL runs on the blocking pool.
final class Housekeeping: Service, CustomStringConvertible {
    private let namespaces: [any KVNamespace]
    private let interval: Duration
    private let logger: Logger

    init(namespaces: [any KVNamespace], interval: Duration = .seconds(600), logger: Logger) {
        self.namespaces = namespaces
        self.interval = interval
        self.logger = logger
    }

    var description: String { "housekeeping" }

    /// Sweeps every `interval` until asked to stop; a sweep under way finishes first.
    func run() async {
        guard !namespaces.isEmpty else { return }
        while (try? await cancelOnGracefulShutdown { [interval] in try await Task.sleep(for: interval) }) != nil {
            await sweep()
        }
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

import Foundation
import Logging
import OzziRuntime

/// The text `ozzi check` prints: host routes in match order, then each worker's own routes.
///
/// Every worker is built for real, against a scratch data folder, so a bad binding or migration shows
/// up here rather than at start-up.
enum RouteListing {
    static func render(_ config: HostConfig, registry: WorkerRegistry) throws -> String {
        var scratch = config
        scratch.server.dataDirectory = NSTemporaryDirectory() + "ozzi-check-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch.server.dataDirectory) }
        let host = try WorkerHost(config: scratch, registry: registry, loops: 1, logger: Logger(label: "check") { _ in SwiftLogNoOpLogHandler() })
        var lines = ["\(config.file): OK, \(config.workers.count) workers on \(config.server.host):\(config.server.port)", ""]
        let entries = config.routeTable.entries
        let width = max(7, entries.map { $0.pattern.description.count }.max() ?? 0)
        lines.append("PATTERN".padded(width) + "  WORKER")
        for entry in entries {
            lines.append(entry.pattern.description.padded(width) + "  " + entry.worker)
        }
        for worker in config.workers {
            lines.append("")
            lines.append("worker \(worker.name) (module \(worker.module))")
            if let routed = host.workers[worker.name] as? any RoutedWorker {
                for route in routed.router.routes { lines.append("  \(route.method.padded(7)) \(route.path)") }
            }
            for cron in worker.bindings.crons { lines.append("  cron    \(cron)") }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

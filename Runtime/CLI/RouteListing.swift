import OzziRuntime

/// The text `ozzi check` prints: host routes in match order, then each worker's own routes.
enum RouteListing {
    static func render(_ config: HostConfig, registry: WorkerRegistry) -> String {
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
            let env = WorkerEnv(name: worker.name, vars: worker.vars, secrets: worker.secrets, dataDirectory: "", logger: .init(label: "check"))
            if let routed = (try? registry.factory(for: worker.module)?(env)) as? any RoutedWorker {
                for route in routed.router.routes { lines.append("  \(route.method.padded(7)) \(route.path)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

import Glibc

/// `GET /__ozzi/health`: liveness plus the facts an operator checks first.
public final class HealthReport: Sendable {
    static let path = "/__ozzi/health"

    let workers: [String]
    let loops: Int
    let connections: ConnectionCounter
    let output: OutputBudget
    let backends: HostBackends?
    private let started = ContinuousClock.now

    init(workers: [String], loops: Int, connections: ConnectionCounter, output: OutputBudget, backends: HostBackends? = nil) {
        self.backends = backends
        self.workers = workers
        self.loops = loops
        self.connections = connections
        self.output = output
    }

    struct Snapshot: Encodable {
        let status: String
        let workers: [String]
        let loops: Int
        let connections: Int
        /// Response bytes waiting for slow clients, across connections (capped by `max_buffered_output_bytes`).
        let buffered_output_bytes: Int
        let uptime_seconds: Double
        let rss_bytes: Int
        /// Each shared engine's state (none on the embedded engines).
        let backends: [BackendHealth]
    }

    /// The host's state; "unavailable" (served as 503, so a load balancer takes the host out) while a
    /// shared engine cannot be reached.
    func snapshot() async -> Snapshot {
        let uptime = ContinuousClock.now - started
        let backends = await self.backends?.health() ?? []
        return Snapshot(
            status: backends.allSatisfy(\.ok) ? "ok" : "unavailable", workers: workers, loops: loops, connections: connections.value,
            buffered_output_bytes: output.value,
            uptime_seconds: Double(uptime.components.seconds) + Double(uptime.components.attoseconds) / 1e18,
            rss_bytes: HealthReport.residentBytes(), backends: backends)
    }

    /// Resident set size, from the second field of /proc/self/statm (in pages).
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
        let fields = String(cBuffer: line).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

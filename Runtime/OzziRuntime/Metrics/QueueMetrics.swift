/// `ozzi_queue_depth` and `ozzi_queue_oldest_message_age_seconds` for every queue the host produces to or
/// consumes, read from the queues' stores at each scrape.
struct QueueMetrics: MetricsCollector {
    let queues: QueueRegistry

    func collect(into text: inout PrometheusText) async {
        let now = queues.wallClock.milliseconds
        var rows: [(name: String, depth: Int, age: Double)] = []
        for store in queues.openStores.sorted(by: { $0.name < $1.name }) {
            // A queue that cannot be read right now is left out of this scrape rather than failing it.
            guard let backlog = try? await store.backlog() else { continue }
            rows.append((store.name, backlog.depth, backlog.oldestSentAt.map { Double(max(0, now - $0)) / 1000 } ?? 0))
        }
        text.family("ozzi_queue_depth", .gauge, help: "Messages in a queue not yet acknowledged, leased ones included.")
        for row in rows { text.sample("ozzi_queue_depth", [("queue", row.name)], Double(row.depth)) }
        text.family("ozzi_queue_oldest_message_age_seconds", .gauge, help: "Age of the oldest message in a queue; 0 when it is empty.")
        for row in rows { text.sample("ozzi_queue_oldest_message_age_seconds", [("queue", row.name)], row.age) }
    }
}

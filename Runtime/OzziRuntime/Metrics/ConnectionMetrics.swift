/// `ozzi_open_connections` and `ozzi_buffered_output_bytes`, the counts the health report shows.
struct ConnectionMetrics: MetricsCollector {
    let connections: ConnectionCounter
    let output: OutputBudget

    func collect(into text: inout PrometheusText) async {
        text.family("ozzi_open_connections", .gauge, help: "Client connections open now, across event loops.")
        text.sample("ozzi_open_connections", [], Double(connections.value))
        text.family("ozzi_buffered_output_bytes", .gauge, help: "Response bytes waiting for slow clients, across connections.")
        text.sample("ozzi_buffered_output_bytes", [], Double(output.value))
    }
}

/// Something read when `/__ozzi/metrics` is scraped (connections, queues, backend pools) rather than
/// counted as it happens. Each collector writes whole families of its own.
public protocol MetricsCollector: Sendable {
    func collect(into text: inout PrometheusText) async
}

/// A worker's view of the host's metrics (`env.metrics`): every series it creates carries its `worker`
/// label. Create a series once and keep it where it is counted often; `counter(...)` looks it up under a lock.
///
///     env.metrics.counter("sms_deliveries_total", labels: ["result": "sent"]).increment()
public struct WorkerMetrics: Sendable {
    let registry: MetricsRegistry
    public let worker: String

    public init(registry: MetricsRegistry, worker: String) {
        self.registry = registry
        self.worker = worker
    }

    public func counter(_ name: String, help: String? = nil, labels: [String: String] = [:]) -> MetricCounter {
        registry.counter(name, help: help, labels: scoped(labels))
    }

    public func gauge(_ name: String, help: String? = nil, labels: [String: String] = [:]) -> MetricGauge {
        registry.gauge(name, help: help, labels: scoped(labels))
    }

    public func histogram(
        _ name: String, help: String? = nil, labels: [String: String] = [:], bounds: [Double] = MetricHistogram.latencyBounds
    ) -> MetricHistogram {
        registry.histogram(name, help: help, labels: scoped(labels), bounds: bounds)
    }

    private func scoped(_ labels: [String: String]) -> [String: String] {
        precondition(labels["worker"] == nil, "the host sets the 'worker' label")
        var labels = labels
        labels["worker"] = worker
        return labels
    }
}

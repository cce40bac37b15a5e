import Synchronization

/// A host's metrics: the families workers and the host count into (created once, then held by their
/// users, so counting takes no lock), plus collectors read at scrape time.
public final class MetricsRegistry: Sendable {
    private struct Family {
        let kind: PrometheusText.Kind
        let help: String
        var series: [[String: String]: Series] = [:]
    }

    private enum Series {
        case counter(MetricCounter)
        case gauge(MetricGauge)
        case histogram(MetricHistogram)
    }

    private let families = Mutex<[String: Family]>([:])
    private let collectors = Mutex<[any MetricsCollector]>([])

    public init() {}

    /// The counter of `name` with these labels, created on first use. A counter's name ends in `_total`.
    public func counter(_ name: String, help: String? = nil, labels: [String: String] = [:]) -> MetricCounter {
        precondition(name.hasSuffix("_total"), "counter '\(name)' must end in _total")
        let series = self.series(name, .counter, help: help, labels: labels) { .counter(MetricCounter()) }
        guard case .counter(let counter) = series else { preconditionFailure("unreachable: kind checked in series") }
        return counter
    }

    public func gauge(_ name: String, help: String? = nil, labels: [String: String] = [:]) -> MetricGauge {
        let series = self.series(name, .gauge, help: help, labels: labels) { .gauge(MetricGauge()) }
        guard case .gauge(let gauge) = series else { preconditionFailure("unreachable: kind checked in series") }
        return gauge
    }

    /// The histogram of `name` with these labels; `bounds` count only when it is created.
    public func histogram(
        _ name: String, help: String? = nil, labels: [String: String] = [:], bounds: [Double] = MetricHistogram.latencyBounds
    ) -> MetricHistogram {
        let series = self.series(name, .histogram, help: help, labels: labels) { .histogram(MetricHistogram(bounds: bounds)) }
        guard case .histogram(let histogram) = series else { preconditionFailure("unreachable: kind checked in series") }
        return histogram
    }

    /// Adds a source read at every scrape.
    public func register(_ collector: any MetricsCollector) {
        collectors.withLock { $0.append(collector) }
    }

    /// Everything in the text exposition format: collectors first, then the counted families by name.
    public func exposition() async -> String {
        var text = PrometheusText()
        for collector in collectors.withLock({ $0 }) {
            await collector.collect(into: &text)
        }
        let snapshot = families.withLock { $0 }
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            text.family(name, family.kind, help: family.help)
            for (labels, series) in family.series.sorted(by: { Self.key($0.key) < Self.key($1.key) }) {
                let pairs = labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                switch series {
                case .counter(let counter): text.sample(name, pairs, counter.value)
                case .gauge(let gauge): text.sample(name, pairs, Double(gauge.value))
                case .histogram(let histogram): text.histogram(name, pairs, histogram)
                }
            }
        }
        return text.text
    }

    private func series(
        _ name: String, _ kind: PrometheusText.Kind, help: String?, labels: [String: String], make: () -> Series
    ) -> Series {
        precondition(PrometheusText.isValidName(name), "'\(name)' is not a Prometheus metric name")
        for label in labels.keys {
            precondition(PrometheusText.isValidLabelName(label) && label != "le", "'\(label)' is not a label name for '\(name)'")
        }
        return families.withLock { families in
            var family = families[name] ?? Family(kind: kind, help: help ?? name.replacing("_", with: " "))
            precondition(family.kind == kind, "metric '\(name)' is a \(family.kind.rawValue), not a \(kind.rawValue)")
            if let existing = family.series[labels] { return existing }
            let created = make()
            family.series[labels] = created
            families[name] = family
            return created
        }
    }

    private static func key(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

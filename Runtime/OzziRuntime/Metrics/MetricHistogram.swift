import Synchronization

/// Observations counted into fixed buckets (latencies, sizes): an observation costs a short scan of the
/// bounds, one relaxed atomic add and a compare-exchange for the sum. Buckets are kept per bucket and made
/// cumulative only when exported.
public final class MetricHistogram: Sendable {
    /// Upper bounds in seconds, ascending; `+Inf` is implied.
    public let bounds: [Double]
    /// One count per bound, then the `+Inf` overflow.
    private let counts: [MetricCounter]
    /// The sum's `Double` bit pattern.
    private let sumBits = Atomic<UInt64>(0)

    /// Latencies of HTTP handlers: from a millisecond (a cached read) to ten seconds (a slow backend).
    public static let latencyBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(bounds: [Double] = MetricHistogram.latencyBounds) {
        precondition(!bounds.isEmpty && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram bounds must ascend")
        self.bounds = bounds
        counts = (0...bounds.count).map { _ in MetricCounter() }
    }

    /// Records a value in the histogram's own unit (seconds for latencies).
    public func observe(_ value: Double) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        counts[index].increment()
        var old = sumBits.load(ordering: .relaxed)
        while true {
            let (exchanged, current) = sumBits.compareExchange(
                expected: old, desired: (Double(bitPattern: old) + value).bitPattern, ordering: .relaxed)
            if exchanged { return }
            old = current
        }
    }

    /// Records a duration measured in nanoseconds (the host's monotonic clock's unit) as seconds.
    public func observe(nanoseconds: UInt64) {
        observe(Double(nanoseconds) / 1e9)
    }

    /// Cumulative counts per bound and then `+Inf`, read once so that `+Inf` equals the count exported.
    var cumulative: [UInt64] {
        var running: UInt64 = 0
        return counts.map { running += $0.value; return running }
    }

    var sum: Double { Double(bitPattern: sumBits.load(ordering: .relaxed)) }
}

import Synchronization

/// A count that only goes up (`_total` in the exposition): one relaxed atomic add per increment.
public final class MetricCounter: Sendable {
    private let count = Atomic<UInt64>(0)

    public init() {}

    public func increment(by amount: UInt64 = 1) {
        count.wrappingAdd(amount, ordering: .relaxed)
    }

    public var value: UInt64 { count.load(ordering: .relaxed) }
}

import Synchronization

/// A value that goes up and down (connections in use, a queue's depth), set or moved by whole units.
public final class MetricGauge: Sendable {
    private let current = Atomic<Int64>(0)

    public init() {}

    public func set(_ value: Int64) {
        current.store(value, ordering: .relaxed)
    }

    public func add(_ amount: Int64) {
        current.wrappingAdd(amount, ordering: .relaxed)
    }

    public var value: Int64 { current.load(ordering: .relaxed) }
}

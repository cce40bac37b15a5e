/// A throughput limit: a token bucket per key, `capacity` deep, refilled at `perSecond`. Each limit keeps
/// its buckets apart from every other's (by `name`), so a flood of keys on one never evicts another's.
public struct RateLimit: Sendable, Hashable {
    public let name: String
    public let capacity: Double
    public let perSecond: Double

    public init(_ name: String, capacity: Double, perSecond: Double) {
        self.name = name
        self.capacity = capacity
        self.perSecond = perSecond
    }

    /// `count` actions per `seconds`, all of them at once if need be.
    public init(_ name: String, _ count: Int, per seconds: Int) {
        self.init(name, capacity: Double(count), perSecond: Double(count) / Double(seconds))
    }

    /// Tokens per millisecond.
    var perMillisecond: Double { perSecond / 1000 }
}

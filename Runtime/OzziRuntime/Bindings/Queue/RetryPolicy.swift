/// Exponential backoff with jitter for redeliveries: `base * 2^(attempt-1)`, capped, then a random point
/// in its upper half so a burst of failures does not come back in lockstep.
public struct RetryPolicy: Sendable, Equatable {
    public var baseSeconds: Double
    public var maxSeconds: Double

    public init(baseSeconds: Double = 1, maxSeconds: Double = 3600) {
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
    }

    /// The delay before delivery number `attempt + 1`; `unit` in 0..<1 is the random draw.
    public func delaySeconds(afterAttempt attempt: Int, unit: Double) -> Double {
        guard baseSeconds > 0 else { return 0 }
        let exponential = min(maxSeconds, baseSeconds * Double(1 << min(max(attempt - 1, 0), 30)))
        return exponential / 2 + exponential / 2 * unit
    }
}

/// How long to wait before each reconnect attempt: doubling from `initial` up to `maximum`, with "equal
/// jitter" (half fixed, half random) so many hosts that lost the same server do not return in step.
struct RedisBackoff {
    let initial: UInt64
    let maximum: UInt64
    private(set) var attempt = 0

    init(initialMilliseconds: UInt64 = 50, maximumMilliseconds: UInt64 = 5_000) {
        initial = initialMilliseconds
        maximum = maximumMilliseconds
    }

    /// The next delay in milliseconds; `random(n)` answers a number in 0..<n.
    mutating func next(random: (UInt64) -> UInt64) -> UInt64 {
        let ceiling = min(maximum, initial << UInt64(min(attempt, 20)))
        attempt += 1
        let half = ceiling / 2
        return half + random(ceiling - half + 1)
    }

    /// A connection that came up starts over from `initial`.
    mutating func reset() { attempt = 0 }
}

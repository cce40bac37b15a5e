import Glibc
import Synchronization

/// Wall-clock time in milliseconds since 1970, injected wherever time decides behaviour (TTLs, delays,
/// backoff, cron) so tests can move it by hand.
public protocol WallClock: Sendable {
    var milliseconds: Int64 { get }
}

extension WallClock {
    public var seconds: Int64 { milliseconds / 1000 }
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public var milliseconds: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock tests set and advance.
public final class ManualClock: WallClock {
    private let now: Atomic<Int64>

    public init(milliseconds: Int64) {
        now = Atomic(milliseconds)
    }

    public var milliseconds: Int64 { now.load(ordering: .relaxed) }

    public func advance(byMilliseconds delta: Int64) {
        now.add(delta, ordering: .relaxed)
    }

    public func set(milliseconds: Int64) {
        now.store(milliseconds, ordering: .relaxed)
    }
}

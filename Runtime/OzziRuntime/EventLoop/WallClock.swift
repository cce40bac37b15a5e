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

/// A clock tests set and advance. Whatever sleeps until a time by this clock (queue timers) registers
/// with `onChange` and is woken when the clock moves, so a test can jump days ahead at once.
public final class ManualClock: WallClock {
    private let now: Atomic<Int64>
    private let observers = Mutex<[@Sendable () -> Void]>([])

    public init(milliseconds: Int64) {
        now = Atomic(milliseconds)
    }

    public var milliseconds: Int64 { now.load(ordering: .relaxed) }

    public func advance(byMilliseconds delta: Int64) {
        now.add(delta, ordering: .relaxed)
        changed()
    }

    public func set(milliseconds: Int64) {
        now.store(milliseconds, ordering: .relaxed)
        changed()
    }

    public func onChange(_ observer: @escaping @Sendable () -> Void) {
        observers.withLock { $0.append(observer) }
    }

    private func changed() {
        for observer in observers.withLock({ $0 }) { observer() }
    }
}

import Synchronization

/// A sleep until a time by a `WallClock`, cut short by `wake()`: a queue consumer waits for its next
/// due message or a send, cron for its next minute or a stop. A wake-up may come early (a test's clock
/// moved, a send), so a waiter checks again what it waits for.
final class WallClockWaker: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Returns at `deadline` (milliseconds, by `clock`), on `wake()`, or at once if a wake-up is pending.
    func wait(until deadline: Int64?, clock: any WallClock) async {
        let timer = deadline.map { deadline in
            Task { [self] in
                let ms = deadline - clock.milliseconds
                if ms > 0 { try? await Task.sleep(for: .milliseconds(ms)) }
                if !Task.isCancelled { wake() }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer?.cancel()
    }

    /// Whether someone waits now (tests wait for this before they move a clock).
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }

    /// Wakes the waiter whenever a test's `ManualClock` moves (the system clock moves by itself).
    func wakeOnChange(of clock: any WallClock) {
        (clock as? ManualClock)?.onChange { [self] in wake() }
    }

    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}

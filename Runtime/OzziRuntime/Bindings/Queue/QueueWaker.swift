import Synchronization

/// Wakes a consumer early: when a message is sent, or at the time a delayed one becomes due.
final class QueueWaker: Sendable {
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

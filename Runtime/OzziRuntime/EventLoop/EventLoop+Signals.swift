import CLibUV

extension EventLoop {
    /// Suspends until one of `signals` arrives and returns it, or returns nil when the task is cancelled
    /// first. The watch ends either way. The loop must keep running until this returns. `whenWatching` is
    /// called (on the loop) once the signals are caught, or the watch has ended: a signal sent before
    /// then would still take its default action (SIGTERM kills the process).
    public func waitForSignal(_ signals: [Int32], whenWatching: @escaping @Sendable () -> Void = {}) async -> Int32? {
        let watch = SignalWatch()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                execute { [self] in
                    watch.start(signals, on: uv, continuation: continuation)
                    whenWatching()
                }
            }
        } onCancel: {
            // Either order on the loop works: an `end` before `start` makes `start` return nil at once.
            execute { watch.end(nil) }
        }
    }
}

/// Created off the loop, then touched only on its loop's thread (`start`, `fire` and `end` run there).
private final class SignalWatch: @unchecked Sendable {
    private var handles: [UnsafeMutablePointer<uv_signal_t>] = []
    private var continuation: CheckedContinuation<Int32?, Never>?
    private var ended = false

    func start(_ signals: [Int32], on loop: UnsafeMutablePointer<uv_loop_t>, continuation: CheckedContinuation<Int32?, Never>) {
        guard !ended else {
            continuation.resume(returning: nil)
            return
        }
        self.continuation = continuation
        for signal in signals {
            let handle = UVHandle.allocate(uv_signal_t.self)
            uv_signal_init(loop, handle)
            UVHandle.retain(handle, owner: self)
            handles.append(handle)
            uv_signal_start(handle, { handle, signal in
                UVHandle.owner(of: handle!, as: SignalWatch.self).end(signal)
            }, signal)
        }
    }

    func end(_ signal: Int32?) {
        ended = true
        continuation?.resume(returning: signal)
        continuation = nil
        for handle in handles { UVHandle.close(handle) }
        handles = []
    }
}

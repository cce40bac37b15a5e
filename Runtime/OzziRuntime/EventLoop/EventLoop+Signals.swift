import CLibUV

extension EventLoop {
    /// Suspends until one of `signals` arrives; returns it. The watch ends after the first delivery.
    public func waitForSignal(_ signals: [Int32]) async -> Int32 {
        await withCheckedContinuation { continuation in
            execute { [self] in
                let watch = SignalWatch(continuation: continuation)
                for signal in signals {
                    let handle = UVHandle.allocate(uv_signal_t.self)
                    uv_signal_init(uv, handle)
                    UVHandle.retain(handle, owner: watch)
                    watch.handles.append(handle)
                    uv_signal_start(handle, { handle, signal in
                        UVHandle.owner(of: handle!, as: SignalWatch.self).fire(signal)
                    }, signal)
                }
            }
        }
    }
}

/// Loop-confined: created and fired on its loop's thread.
private final class SignalWatch {
    var handles: [UnsafeMutablePointer<uv_signal_t>] = []
    private var continuation: CheckedContinuation<Int32, Never>?

    init(continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    func fire(_ signal: Int32) {
        continuation?.resume(returning: signal)
        continuation = nil
        for handle in handles { UVHandle.close(handle) }
        handles = []
    }
}

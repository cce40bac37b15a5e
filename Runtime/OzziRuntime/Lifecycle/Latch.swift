import Synchronization

/// A one-shot event: it opens once, and whoever waits or registers a handler learns of it, including those
/// who come after (a handler registered late runs at once), so nobody misses an opening that raced them.
///
/// It carries a service's request to stop gracefully (see `ServiceGroup`) and a draining server's
/// "last connection closed".
final class Latch: Sendable {
    private struct State {
        var open = false
        var handlers: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    var isOpen: Bool { state.withLock { $0.open } }

    /// Opens the latch and runs every handler registered so far, once; later calls do nothing.
    func open() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.open else { return [] }
            state.open = true
            defer { state.handlers = [:] }
            return Array(state.handlers.values)
        }
        for handler in handlers { handler() }
    }

    /// Registers `handler` for the opening; returns its id to remove it, or nil when it ran here instead
    /// (the latch was open, or `unlessCancelled` is set and the task is cancelled).
    func onOpen(unlessCancelled: Bool = false, _ handler: @escaping @Sendable () -> Void) -> UInt64? {
        let id = state.withLock { state -> UInt64? in
            guard !state.open, !(unlessCancelled && Task.isCancelled) else { return nil }
            state.nextID += 1
            state.handlers[state.nextID] = handler
            return state.nextID
        }
        if id == nil { handler() }
        return id
    }

    /// Unregisters a handler that has not run; returns it, so a caller racing `open` knows who runs it.
    @discardableResult
    func remove(_ id: UInt64) -> (@Sendable () -> Void)? {
        state.withLock { $0.handlers.removeValue(forKey: id) }
    }

    /// Suspends until the latch opens; throws `CancellationError` if the task is cancelled first.
    func wait() async throws {
        let id = Mutex<UInt64?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Registered under `id`'s lock: a cancellation arriving meanwhile finds the id once it is set.
                id.withLock { $0 = onOpen(unlessCancelled: true) { continuation.resume() } }
            }
        } onCancel: {
            // Only one of `open` and cancellation gets the handler out of the table, so it resumes once.
            if let registered = id.withLock({ $0 }), let handler = remove(registered) { handler() }
        }
        if !isOpen { throw CancellationError() }
    }
}

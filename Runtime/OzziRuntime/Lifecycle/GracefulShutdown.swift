// How a service learns it is asked to stop, modelled on swift-service-lifecycle's functions of the same
// names. Each reads the latch its `ServiceGroup` binds around the service's `run()`; outside a group
// nothing ever asks, so they wait for cancellation alone.

extension Latch {
    /// The current service's request to stop gracefully.
    @TaskLocal static var gracefulShutdown: Latch?
}

/// Suspends until the current service is asked to stop gracefully; throws `CancellationError` when its
/// task is cancelled first.
public func gracefulShutdown() async throws {
    try await (Latch.gracefulShutdown ?? Latch()).wait()
}

/// Runs `operation`; if the current service is asked to stop meanwhile (or already was), calls `handler`
/// once, from the task that asked. The handler should only signal the operation (set a flag, wake a waiter).
public func withGracefulShutdownHandler<T>(
    isolation: isolated (any Actor)? = #isolation,
    operation: () async throws -> T,
    onGracefulShutdown handler: @escaping @Sendable () -> Void
) async rethrows -> T {
    guard let latch = Latch.gracefulShutdown, let id = latch.onOpen(handler) else { return try await operation() }
    defer { latch.remove(id) }
    return try await operation()
}

/// Runs `operation` in a child task and cancels it when the current service is asked to stop gracefully:
/// for work that is safe to abandon at once, such as waiting for the next timer.
public func cancelOnGracefulShutdown<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    // A child's nil says the service was asked to stop; the operation's child always brings its outcome.
    try await withThrowingTaskGroup(of: Result<T, any Error>?.self) { group in
        group.addTask {
            do {
                return .success(try await operation())
            } catch {
                return .failure(error)
            }
        }
        group.addTask {
            try? await gracefulShutdown()
            return nil
        }
        defer { group.cancelAll() }
        while let outcome = try await group.next() {
            if let outcome { return try outcome.get() }
            group.cancelAll()
        }
        preconditionFailure("the operation's child task always finishes")
    }
}

import Synchronization

/// Waiting for something that must happen. The limit only stops a broken test from hanging: it is
/// generous (a busy machine is slow, never wrong), and no test asserts how soon the condition held.
public enum Poll {
    /// Polls `done` every `interval` until it holds (true) or `timeout` passes (false).
    public static func until(timeout: Duration = .seconds(180), interval: Duration = .milliseconds(10),
                             _ done: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await done() { return true }
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: interval)
        }
    }
}

/// A flag one task sets and another reads (a class, so escaping closures can share it).
public final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func set() { value.store(true, ordering: .sequentiallyConsistent) }
    public var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

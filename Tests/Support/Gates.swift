import Dispatch
import FoundationEssentials
import Synchronization

/// Named gates: a request (or a test's own work) waits on a gate until the test opens it, so a test
/// orders events ("this request is still in flight when that one is answered") instead of racing a
/// duration. Names are unique per test, as tests run in parallel in one process.
///
/// A gate stays open once opened (a waiter that arrives later passes at once). Every wait has a long
/// safety timeout, so a test that fails before opening its gate does not leave a thread stuck forever.
public final class Gates: Sendable {
    private struct Gate {
        var open = false
        /// Waiters currently blocked on the gate (async and blocking).
        var waiting = 0
        var continuations: [Int: CheckedContinuation<Bool, Never>] = [:]
        var semaphores: [DispatchSemaphore] = []
    }

    private let gates = Mutex<[String: Gate]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// Waits (suspended, holding no thread) until `name` opens; false if `timeout` passed first.
    public func wait(_ name: String, timeout: Duration = .seconds(60)) async -> Bool {
        let id = nextID.add(1, ordering: .relaxed).newValue
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let passNow = gates.withLock { gates -> Bool in
                if gates[name, default: Gate()].open { return true }
                gates[name, default: Gate()].continuations[id] = continuation
                gates[name, default: Gate()].waiting += 1
                return false
            }
            if passNow {
                continuation.resume(returning: true)
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let expired = gates.withLock { gates -> CheckedContinuation<Bool, Never>? in
                    guard let continuation = gates[name]?.continuations.removeValue(forKey: id) else { return nil }
                    gates[name]?.waiting -= 1
                    return continuation
                }
                expired?.resume(returning: false)
            }
        }
    }

    /// Blocks the calling thread (a blocking-pool thread) until `name` opens; false if `timeoutSeconds` passed first.
    public func waitBlocking(_ name: String, timeoutSeconds: Int = 60) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let passNow = gates.withLock { gates -> Bool in
            if gates[name, default: Gate()].open { return true }
            gates[name, default: Gate()].semaphores.append(semaphore)
            gates[name, default: Gate()].waiting += 1
            return false
        }
        if passNow { return true }
        let opened = semaphore.wait(timeout: .now() + .seconds(timeoutSeconds)) == .success
        if !opened {
            gates.withLock { gates in
                guard let index = gates[name]?.semaphores.firstIndex(where: { $0 === semaphore }) else { return }
                gates[name]?.semaphores.remove(at: index)
                gates[name]?.waiting -= 1
            }
        }
        return opened
    }

    /// Opens `name`: releases everything waiting on it, and lets later waiters pass.
    public func open(_ name: String) {
        let (continuations, semaphores) = gates.withLock { gates in
            var gate = gates[name, default: Gate()]
            defer {
                gate.open = true
                gate.waiting = 0
                gate.continuations = [:]
                gate.semaphores = []
                gates[name] = gate
            }
            return (Array(gate.continuations.values), gate.semaphores)
        }
        for continuation in continuations { continuation.resume(returning: true) }
        for semaphore in semaphores { semaphore.signal() }
    }

    /// How many are waiting on `name` right now.
    public func waiting(_ name: String) -> Int {
        gates.withLock { $0[name]?.waiting ?? 0 }
    }

    /// Whether `name` has been opened.
    public func isOpen(_ name: String) -> Bool {
        gates.withLock { $0[name]?.open ?? false }
    }
}

import Glibc

/// Threads for blocking work — SQLite, file I/O, subprocess waits — so no event loop ever blocks.
///
/// `run` suspends the caller and resumes it when the work is done; a task that prefers a loop as its
/// executor resumes on that loop, so handlers never change threads as far as they can tell.
public final class BlockingPool: @unchecked Sendable {
    // `jobs` and `head` are guarded by `mutex`; threads sleep on `condition`.
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    public let threadCount: Int

    /// The pool every binding and `RequestContext.runBlocking` share. Larger than libuv's 4 because a
    /// slow query holds its thread; idle threads cost only their (untouched) stacks.
    public static let shared = BlockingPool(threads: 16)

    public init(threads: Int) {
        threadCount = threads
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<threads {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self).toOpaque()
            pthread_create(&thread, nil, { arg in
                Unmanaged<BlockingPool>.fromOpaque(arg!).takeRetainedValue().work()
                return nil
            }, box)
            pthread_detach(thread)
        }
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Queues `job` for a pool thread.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func work() -> Never {
        while true {
            pthread_mutex_lock(mutex)
            while head == jobs.count { pthread_cond_wait(condition, mutex) }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            pthread_mutex_unlock(mutex)
            job()
        }
    }
}

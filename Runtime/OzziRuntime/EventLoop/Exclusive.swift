import Glibc

/// A value that one thread at a time may use, behind a mutex, for non-Sendable resources (a SQLite
/// connection) whose users return non-Sendable results. `Mutex` would demand `sending` results.
final class Exclusive<Value>: @unchecked Sendable {
    // `value` is only touched between lock and unlock of `mutex`.
    private let value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func with<T>(_ body: (Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(value)
    }
}

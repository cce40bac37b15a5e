import Glibc
import Synchronization

/// What each SQLite statement costs, for finding where a benchmark's database time goes: with
/// `OZZI_SQL_PROFILE=<file>` in the environment, every statement's CPU time (its thread's, so waiting for
/// the lock is not counted) is summed by database file and statement text, and the table is rewritten to
/// the file every 2 s, costliest first: `total ms`, `count`, `µs each`, `file | sql`. Diff two copies to
/// see one phase. Off (one check per statement) otherwise.
final class SQLStatementProfile: Sendable {
    static let shared = SQLStatementProfile(path: getenv("OZZI_SQL_PROFILE").map { String(cString: $0) })

    let enabled: Bool
    private let path: String?
    private let totals = Mutex<[String: (count: Int, nanoseconds: UInt64)]>([:])
    private let written = Mutex<UInt64>(0)

    init(path: String?) {
        self.path = path
        enabled = path != nil
    }

    /// This thread's CPU time, in nanoseconds.
    static func cpuNow() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func add(_ sql: String, file: String, since start: UInt64) {
        let spent = Self.cpuNow() - start
        let key = file + " | " + String(sql.prefix(200).map { $0 == "\n" ? " " : $0 })
        totals.withLock { totals in
            let old = totals[key] ?? (0, 0)
            totals[key] = (old.count + 1, old.nanoseconds + spent)
        }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = UInt64(now.tv_sec)
        guard written.withLock({ last in
            guard seconds >= last + 2 else { return false }
            last = seconds
            return true
        }) else { return }
        write()
    }

    private func write() {
        guard let path, let file = fopen(path, "w") else { return }
        defer { fclose(file) }
        for (key, total) in totals.withLock({ $0 }).sorted(by: { $0.value.nanoseconds > $1.value.nanoseconds }) {
            fputs("\(total.nanoseconds / 1_000_000)\t\(total.count)\t\(total.nanoseconds / UInt64(total.count) / 1000)\t\(key)\n", file)
        }
    }
}

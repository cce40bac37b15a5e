import Dispatch
import CSQLite
import Synchronization

/// At most `size` connections to one server, opened when first needed and kept while they work.
///
/// Callers are blocking-pool threads: one waits for a free connection, uses it alone, and gives it back.
/// A connection the server closed (a restart, `pg_terminate_backend`) is dropped rather than given back,
/// so the next caller gets a new one.
final class PostgresConnectionPool: Sendable {
    let url: String
    let schema: String?
    let size: Int
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore
    /// Callers holding a connection, for the metrics' pool use.
    private let lent = Atomic<Int>(0)
    /// Set by `close`: no connection is opened or kept after it.
    private let closed = Atomic<Bool>(false)

    init(url: String, schema: String?, size: Int) {
        self.url = url
        self.schema = schema
        self.size = max(1, size)
        slots = DispatchSemaphore(value: self.size)
    }

    var usage: BackendPoolSnapshot {
        BackendPoolSnapshot(inUse: lent.load(ordering: .relaxed), idle: idle.withLock { $0.count }, size: size)
    }

    /// Runs `body` with a connection of its own.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        slots.wait()
        lent.add(1, ordering: .relaxed)
        defer {
            lent.subtract(1, ordering: .relaxed)
            slots.signal()
        }
        guard !closed.load(ordering: .relaxed) else { throw Self.closedError }
        let connection = try idle.withLock { $0.popLast() } ?? PostgresConnection(url: url, schema: schema)
        defer {
            if connection.isReusable {
                idle.withLock { idle in
                    // Checked under the lock `close` empties the list with, so none is kept after it.
                    if !closed.load(ordering: .relaxed) { idle.append(connection) }
                }
            }
        }
        return try body(connection)
    }

    /// Closes the idle connections, and each one in use when it is given back; calls after it fail. What a
    /// host does when it stops: the connections are the server's, and freeing them cannot wait for whatever
    /// may still hold this pool to let it go (a test process starts and stops hundreds of hosts).
    func close() {
        idle.withLock { idle in
            closed.store(true, ordering: .relaxed)
            idle.removeAll()  // each connection is finished (PQfinish) as it is freed
        }
    }

    private static let closedError = SQLError(code: SQLITE_MISUSE, extendedCode: SQLITE_MISUSE, message: "the PostgreSQL pool is closed (its host stopped)",
                                             sql: "", sqlState: "08003")

    /// Opens one connection now and keeps it, so a server that cannot be reached fails at start-up.
    func warmUp() throws {
        try with { _ in }
    }
}

import Glibc
import Logging
import Synchronization

/// Hears a PostgreSQL NOTIFY channel on a connection and a thread of its own, and hands each payload to
/// `onNotify` on that thread.
///
/// The thread sleeps in `poll()` on the connection's socket and a wake pipe, so `stop()` ends it at once.
/// A thread of its own, not one of the blocking pool's (which never end, and which other work needs) nor
/// a `uv_poll` on an event loop: the listener starts with its registry, before any loop runs, must not
/// depend on which loops a host has, and costs one sleeping thread per host.
///
/// A lost connection is opened again, with backoff, until `stop()`; once it is back, `onReconnect` runs,
/// since notifications sent meanwhile are gone and whoever waits for them must look again.
final class PostgresListener: @unchecked Sendable {
    // `connection` belongs to the listening thread once `init` has started it; `thread` to `stop()`.
    private let url: String
    private let channel: String
    private let onNotify: @Sendable (String) -> Void
    private let onReconnect: @Sendable () -> Void
    private let logger: Logger
    private var connection: PostgresConnection?
    private var thread = pthread_t()
    /// Written to by `stop()`; `[read end, write end]`.
    private var wakePipe: [Int32] = [-1, -1]
    private let stopped = Atomic<Bool>(false)

    /// Connects and listens before returning, so an unreachable server is an error here (naming the URL,
    /// password masked) and nothing sent after `init` returns is missed.
    init(url: String, channel: String, logger: Logger,
         onNotify: @escaping @Sendable (String) -> Void, onReconnect: @escaping @Sendable () -> Void) throws {
        self.url = url
        self.channel = channel
        self.logger = logger
        self.onNotify = onNotify
        self.onReconnect = onReconnect
        let connection = try PostgresConnection(url: url, schema: nil)
        try connection.listen(channel)
        self.connection = connection
        guard pipe(&wakePipe) == 0 else { throw PostgresListenerError.noPipe(errno: errno) }
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            Unmanaged<PostgresListener>.fromOpaque(arg!).takeRetainedValue().listen()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    /// Ends the thread and closes the connection; returns once they are gone. Safe to call more than once.
    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe[1], &byte, 1)
        pthread_join(thread, nil)
        close(wakePipe[0])
        close(wakePipe[1])
    }

    private func listen() {
        var backoff: Int32 = 100
        while !stopped.load(ordering: .sequentiallyConsistent) {
            guard let connection else {
                if waitForStop(milliseconds: backoff) { break }
                do {
                    let reopened = try PostgresConnection(url: url, schema: nil)
                    try reopened.listen(channel)
                    self.connection = reopened
                    backoff = 100
                    logger.info("listen connection restored", metadata: ["channel": "\(channel)"])
                    onReconnect()
                } catch {
                    backoff = min(backoff * 2, 5_000)
                }
                continue
            }
            var fds = [pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 { break }
            do {
                for payload in try connection.notifications() { onNotify(payload) }
            } catch {
                logger.warning("listen connection lost; reconnecting", metadata: ["channel": "\(channel)", "error": "\(error)"])
                self.connection = nil
            }
        }
        connection = nil
    }

    /// Sleeps up to `milliseconds` unless `stop()` is called; returns whether it was.
    private func waitForStop(milliseconds: Int32) -> Bool {
        var fd = pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, milliseconds)
        return fd.revents != 0 || stopped.load(ordering: .sequentiallyConsistent)
    }
}

enum PostgresListenerError: Error {
    case noPipe(errno: Int32)
}

import Foundation
import Synchronization

/// A child process started with `posix_spawn`, its stdout and stderr read by their own threads.
///
/// Not Foundation's `Process`: on Linux (swift-corelibs-foundation up to 6.3.1) `Process.run()` reads past
/// a `dirent` while listing `/proc/self/fd` and crashes the test process now and then
/// (swiftlang/swift-corelibs-foundation#5472) — a suite that spawns hundreds of clients hits it.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    private let state = Mutex(State())
    private let stdinFD: Int32
    private static let spawning = NSLock()

    private struct State {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var openStreams = 2
        var status: Int32?
        var waiters: [CheckedContinuation<Void, Never>] = []
        var done: Bool { status != nil && openStreams == 0 }
    }

    /// Starts `executable`, with `environment` added to this process's; `mergeOutput` sends stderr to
    /// the stdout buffer.
    public init(_ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String] = [:],
                mergeOutput: Bool = false) throws {
        var (program, argv) = (executable, [executable] + arguments)
        if directory != nil || !environment.isEmpty {
            // `env --chdir NAME=VALUE` rather than chdir and setenv in this (multi-threaded) process.
            let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            (program, argv) = ("/usr/bin/env", ["/usr/bin/env"] + (directory.map { ["--chdir=\($0)"] } ?? []) + settings + argv)
        }
        // Pipes are made close-on-exec in two steps (Glibc's Swift overlay has no pipe2), so creating
        // them and spawning are one critical section: no other child inherits a pipe end and holds it open.
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        let stdin = try Self.pipe(), stdout = try Self.pipe(), stderr = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, mergeOutput ? stdout.write : stderr.write, 2)
        // The child starts with no signal blocked and SIGTERM and SIGINT at their defaults, whatever the
        // spawning thread blocks (test threads often block SIGTERM): otherwise `stop()` never ends a stub
        // server, and every suite run leaves its stubs behind.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, program, &actions, &attributes, cArguments, environ)
        close(stdin.read)
        close(stdout.write)
        close(stderr.write)
        guard result == 0 else {
            [stdin.write, stdout.read, stderr.read].forEach { close($0) }
            throw SpawnFailure(program: program, code: result)
        }
        let pid = spawned
        self.pid = pid
        stdinFD = stdin.write
        drain(stdout.read, into: \.stdout)
        drain(stderr.read, into: \.stderr)
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            // Exit code, or 128 + signal as a shell reports it.
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            finish { $0.status = code }
        }
    }

    public var isRunning: Bool { state.withLock { $0.status == nil } }
    public var stdout: String { state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    public var stderr: String { state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Writes `data` to the child's stdin, then closes it.
    public func closeInput(after data: Data? = nil) {
        if let data {
            data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(stdinFD, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { if errno == EINTR { continue } else { break } }
                    offset += written
                }
            }
        }
        close(stdinFD)
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the exit and the end of both output streams; answers the exit status.
    public func wait() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
        return state.withLock { $0.status ?? -1 }
    }

    private func drain(_ fd: Int32, into stream: WritableKeyPath<State, [UInt8]> & Sendable) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                state.withLock { $0[keyPath: stream] += buffer[0..<count] }
            }
            close(fd)
            finish { $0.openStreams -= 1 }
        }
    }

    private func finish(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state)
            guard state.done else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw SpawnFailure(program: "pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    public struct SpawnFailure: Error, CustomStringConvertible {
        let program: String
        let code: Int32
        public var description: String { "could not start \(program): \(String(cString: strerror(code)))" }
    }
}

import Glibc

/// Programs a worker may run (`allowed_commands = ["espeak-ng", "ffmpeg"]`), deny-by-default as outbound
/// HTTP is: any other name is refused before anything starts. A run is spawned with `posix_spawn`, fed its
/// standard input and read to the end on a thread of `CommandRunner.pool` (never on a loop), killed when it outlives
/// its timeout or writes more than its limit, and reaped. The environment is the host's PATH and LANG only:
/// a worker's secrets never reach a program through it.
public struct CommandRunner: Sendable {
    public let worker: String
    public let allowed: Set<String>
    let pool: BlockingPool

    /// Threads of their own: a render holds its thread for minutes, which on the shared pool would keep
    /// SQLite and file work waiting. Runs beyond eight wait their turn here, not there.
    public static let pool = BlockingPool(threads: 8)

    /// The threads that spawn `.background` runs. Linux keeps a nice value per thread, a child starts with
    /// its spawner's, and an unprivileged thread cannot lower its own again: these threads are niced once
    /// and spawn nothing else, so a normal run never inherits their niceness.
    static let backgroundPool = BlockingPool(threads: 8)

    public init(worker: String, allowed: [String], pool: BlockingPool = CommandRunner.pool) {
        self.worker = worker
        self.allowed = Set(allowed)
        self.pool = pool
    }

    /// Runs `command` (a name `allowed_commands` lists, found on PATH) with `arguments`.
    ///
    /// With `onOutput`, standard output is handed over as it comes (a long run's progress) instead of being
    /// kept in the result. Cancelling the calling task kills the program (within a fifth of a second) and
    /// throws `.cancelled`.
    ///
    /// A `.background` run (a render, a transcription: minutes of every core) starts niced, threads and
    /// all, so the host's requests, and whatever else shares the machine, come first when cores are short.
    public func run(_ command: String, _ arguments: [String], input: [UInt8] = [], timeoutMilliseconds: Int = 60_000,
                    maxOutputBytes: Int = 64 << 20, priority: CommandPriority = .normal,
                    onOutput: (@Sendable ([UInt8]) -> Void)? = nil) async throws(CommandError) -> CommandResult {
        guard allowed.contains(command) else { throw .denied(worker: worker, command: command) }
        guard let path = Self.resolve(command) else { throw .notInstalled(command: command) }
        let cancellation = CommandCancellation()
        let result: Result<CommandResult, CommandError>
        do {
            result = try await withTaskCancellationHandler {
                try await (priority == .background ? Self.backgroundPool : pool).run {
                    if priority == .background { CommandPriority.niceThisThread() }
                    return Self.spawnAndWait(path: path, arguments: arguments, input: input, timeoutMilliseconds: timeoutMilliseconds,
                                      maxOutputBytes: maxOutputBytes, command: command, onOutput: onOutput, cancellation: cancellation)
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch {
            throw .failedToStart(command: command, reason: "\(error)")
        }
        return try result.get()
    }

    /// The executable's path: the first directory of PATH that has it.
    static func resolve(_ command: String) -> String? {
        guard !command.contains("/") else { return nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func spawnAndWait(path: String, arguments: [String], input: [UInt8], timeoutMilliseconds: Int, maxOutputBytes: Int,
                                     command: String, onOutput: (@Sendable ([UInt8]) -> Void)?,
                                     cancellation: CommandCancellation) -> Result<CommandResult, CommandError> {
        if cancellation.isCancelled { return .failure(.cancelled(command: command)) }
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            return .failure(.failedToStart(command: command, reason: "pipe: errno \(errno)"))
        }
        // Close-on-exec, so another run spawned meanwhile does not inherit these ends (the child's own
        // ends are dup2'd onto 0-2, which clears the flag there).
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        let names = ["PATH", "LANG"]
        var environment: [UnsafeMutablePointer<CChar>?] = names.compactMap { (name: String) -> UnsafeMutablePointer<CChar>? in
            guard let value = getenv(name) else { return nil }
            return strdup(name + "=" + String(cString: value))
        }
        environment.append(nil)
        defer { (argv + environment).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environment)
        for fd in [stdinPipe[0], stdoutPipe[1], stderrPipe[1]] { close(fd) }
        guard spawned == 0 else {
            for fd in [stdinPipe[1], stdoutPipe[0], stderrPipe[0]] { close(fd) }
            return .failure(.failedToStart(command: command, reason: String(cString: strerror(spawned))))
        }
        var io = CommandPipes(input: input, stdin: stdinPipe[1], stdout: stdoutPipe[0], stderr: stderrPipe[0], maxOutputBytes: maxOutputBytes,
                              onOutput: onOutput, cancellation: cancellation)
        let outcome = io.pump(deadline: Self.nowMilliseconds() + Int64(timeoutMilliseconds))
        if outcome != .finished { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        switch outcome {
        case .timedOut: return .failure(.timedOut(command: command, milliseconds: timeoutMilliseconds))
        case .tooMuchOutput: return .failure(.outputTooLarge(command: command, limit: maxOutputBytes))
        case .cancelled: return .failure(.cancelled(command: command))
        case .finished: break
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return .success(CommandResult(status: signal == 0 ? Int((status >> 8) & 0xff) : nil, signal: signal == 0 ? nil : Int(signal),
                                      stdout: io.stdoutBytes, stderr: io.stderrBytes))
    }

    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// What a program did: its exit status (nil when a signal ended it), and what it wrote.
public struct CommandResult: Sendable, Equatable {
    public let status: Int?
    public let signal: Int?
    public let stdout: [UInt8]
    public let stderr: [UInt8]

    public var succeeded: Bool { status == 0 }
}

public enum CommandError: Error, Equatable, CustomStringConvertible {
    case denied(worker: String, command: String)
    case notInstalled(command: String)
    case failedToStart(command: String, reason: String)
    case timedOut(command: String, milliseconds: Int)
    case outputTooLarge(command: String, limit: Int)
    case cancelled(command: String)

    public var description: String {
        switch self {
        case .denied(let worker, let command): "worker '\(worker)' may not run '\(command)': it is not in its allowed_commands"
        case .notInstalled(let command): "'\(command)' is not installed (not found on PATH)"
        case .failedToStart(let command, let reason): "'\(command)' did not start: \(reason)"
        case .timedOut(let command, let milliseconds): "'\(command)' ran over \(milliseconds) ms and was killed"
        case .outputTooLarge(let command, let limit): "'\(command)' wrote more than \(limit) bytes and was killed"
        case .cancelled(let command): "'\(command)' was cancelled and killed"
        }
    }
}

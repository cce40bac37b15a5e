import Glibc
import OzziTestSupport
import Synchronization
import Testing
@testable import OzziRuntime

/// Programs a worker may run: only those `allowed_commands` lists; input written and output read both
/// (a program filling one pipe must not hang), exit status and signals reported, runs that outlive their
/// timeout or write past their limit killed — none of it on a loop.
@Suite struct CommandRunnerTests {
    let runner = CommandRunner(worker: "video", allowed: ["cat", "sh", "printf", "no-such-program-here"])

    /// A run given an hour: under a full parallel suite on two cores a program may start and run very
    /// slowly, and no test but the timeout's is about time.
    func run(_ command: String, _ arguments: [String], input: [UInt8] = []) async throws(CommandError) -> CommandResult {
        try await runner.run(command, arguments, input: input, timeoutMilliseconds: 3_600_000)
    }

    @Test func onlyAllowedProgramsRunAndMissingOnesAreNamed() async throws {
        let denied = await #expect(throws: CommandError.self) { try await runner.run("ls", ["/"]) }
        #expect(denied == .denied(worker: "video", command: "ls"))
        #expect(denied?.description == "worker 'video' may not run 'ls': it is not in its allowed_commands")
        let missing = await #expect(throws: CommandError.self) { try await runner.run("no-such-program-here", []) }
        #expect(missing == .notInstalled(command: "no-such-program-here"))
        // A path is never a name on the list, even if it names an allowed program.
        let path = await #expect(throws: CommandError.self) { try await CommandRunner(worker: "video", allowed: ["/bin/cat"]).run("/bin/cat", []) }
        #expect(path == .notInstalled(command: "/bin/cat"))
    }

    @Test func inputOutputAndStatusComeThrough() async throws {
        let echoed = try await run("cat", [], input: Array("hello, pipes".utf8))
        #expect(echoed.succeeded && echoed.stdout == Array("hello, pipes".utf8) && echoed.stderr.isEmpty)
        let failed = try await run("sh", ["-c", "printf oops >&2; exit 3"])
        #expect(failed.status == 3 && failed.signal == nil && failed.stderr == Array("oops".utf8) && !failed.succeeded)
        let killed = try await run("sh", ["-c", "kill -9 $$"])
        #expect(killed.status == nil && killed.signal == 9)
        // Arguments are passed as they are, not through a shell.
        let literal = try await run("printf", ["%s|", "a b", "$HOME", "*"])
        #expect(String(decoding: literal.stdout, as: UTF8.self) == "a b|$HOME|*|")
        // Only PATH and LANG reach the program: no secret of the host's environment.
        let environment = try await run("sh", ["-c", "env | cut -d= -f1 | sort | tr '\\n' ' '"])
        #expect(Set(String(decoding: environment.stdout, as: UTF8.self).split(separator: " ").map(String.init)).isSubset(of: ["PATH", "LANG", "PWD", "SHLVL", "_"]))
    }

    @Test func bigInputAndOutputBothFlowWithoutDeadlock() async throws {
        // 4 MiB through cat: far more than a pipe holds, so input and output must be served together.
        let input = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let result = try await run("cat", [], input: input)
        #expect(result.succeeded && result.stdout.count == input.count && result.stdout == input)
        // A program that ignores its input and exits does not break the run.
        let ignored = try await run("sh", ["-c", "exit 0"], input: input)
        #expect(ignored.succeeded)
    }

    @Test func runsOverTheirTimeOrOutputAreKilled() async throws {
        // The timeout races a program that would never end by itself: no wall-clock bound is asserted.
        let slow = await #expect(throws: CommandError.self) { try await runner.run("sh", ["-c", "while :; do sleep 1; done"], timeoutMilliseconds: 200) }
        #expect(slow == .timedOut(command: "sh", milliseconds: 200))
        // An hour to write its 100 KB: on starved cores only the output limit may end this one.
        let loud = await #expect(throws: CommandError.self) {
            try await runner.run("sh", ["-c", "while :; do echo xxxxxxxxxxxxxxxx; done"], timeoutMilliseconds: 3_600_000, maxOutputBytes: 100_000)
        }
        #expect(loud == .outputTooLarge(command: "sh", limit: 100_000))
    }

    /// A long run's output comes as it is written (ffmpeg's progress), and cancelling the waiting task kills
    /// the program: the run that would never end is ended by the cancel, not by its hour.
    @Test func outputIsHandedOverAsItComesAndCancelKills() async throws {
        let lines = Mutex<[UInt8]>([])
        let task = Task {
            try await runner.run("sh", ["-c", "i=0; while :; do echo line$i; i=$((i+1)); sleep 0.05; done"], timeoutMilliseconds: 3_600_000,
                                 onOutput: { chunk in lines.withLock { $0 += chunk } })
        }
        #expect(try await Poll.until { lines.withLock { String(decoding: $0, as: UTF8.self).contains("line3\n") } })
        task.cancel()
        let ended = await task.result
        #expect(throws: CommandError.cancelled(command: "sh")) { try ended.get() }
        // Already cancelled: nothing starts.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await runner.run("sh", ["-c", "sleep 3600"], timeoutMilliseconds: 3_600_000)
        }
        await #expect(throws: CommandError.cancelled(command: "sh")) { try await early.value }
    }

    /// A background run (a render) starts at nice 10, and the threads that spawn it do not pass their
    /// niceness on: normal runs before, between and after start at 0, as the host's own thread stays.
    @Test func backgroundRunsAreNicedAndNormalOnesAreNot() async throws {
        // Field 19 of /proc/PID/stat is the nice value (sh's command name, field 2, has no space).
        let nice = ["-c", "cut -d ' ' -f 19 /proc/$$/stat"]
        func niceness(_ priority: CommandPriority) async throws -> String {
            let result = try await runner.run("sh", nice, timeoutMilliseconds: 3_600_000, priority: priority)
            return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try await niceness(.normal) == "0")
        for _ in 0..<3 { #expect(try await niceness(.background) == "10") }
        async let many = withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<16 { group.addTask { try await niceness(i % 2 == 0 ? .normal : .background) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }.sorted()
        }
        #expect(try await many == Array(repeating: "0", count: 8) + Array(repeating: "10", count: 8))
        #expect(try await niceness(.normal) == "0")
        errno = 0
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == 0 && errno == 0, "the test's own thread is not niced")
    }

    @Test func theConfigurationGrantsProgramsByName() throws {
        let loader = ConfigLoader(file: "wrangler-like.toml", modules: ["video"], environment: [:])
        let config = try loader.parse("""
            [[workers]]
            name = "video"
            allowed_commands = ["ffmpeg", "ffprobe"]
            [env.test.workers.video]
            allowed_commands = ["ffmpeg"]
            """, env: "test", devVars: [:])
        #expect(config.workers[0].bindings.allowedCommands == ["ffmpeg"])
        do {
            _ = try loader.parse("""
                [[workers]]
                name = "video"
                allowed_commands = ["/usr/bin/ffmpeg"]
                """, env: nil, devVars: [:])
            Issue.record("a path was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "allowed_commands" && error.worker == "video", "\(error)")
        }
    }
}

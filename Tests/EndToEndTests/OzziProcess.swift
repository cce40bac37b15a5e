import Foundation
import OzziTestSupport

/// The real `ozzi` binary (or `ozzi-probe`) as a child process, with its output captured as it is written.
final class OzziProcess: Sendable {
    let child: ChildProcess
    var process: SpawnedProcess { child.process }
    var log: String { child.log }

    /// A binary built beside this test bundle (`ozzi`, `ozzi-probe`).
    static func binary(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    init(_ arguments: [String], binary: String = "ozzi", path: String? = nil, environment: [String: String] = [:]) throws {
        child = try ChildProcess(path ?? OzziProcess.binary(binary), arguments, directory: NSTemporaryDirectory(), environment: environment)
    }

    /// Waits until the log contains `text`; returns the log.
    func waitFor(_ text: String, timeout: Duration = .seconds(240)) async throws -> String {
        _ = try await child.waitFor(NSRegularExpression.escapedPattern(for: text), timeout: timeout)
        return log
    }

    /// The port from the `listening` log line.
    func listeningPort() async throws -> Int {
        guard let port = Int(try await child.waitFor(#""msg":"listening".*?127\.0\.0\.1:(\d+)"#)) else {
            throw ChildProcess.Timeout(pattern: "port", log: log)
        }
        return port
    }

    /// Waits for the process to exit; returns its status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.signal(SIGKILL)
            throw ChildProcess.Timeout(pattern: "exit", log: log)
        }
        return await process.wait()
    }
}

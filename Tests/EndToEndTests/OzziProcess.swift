import Foundation
import Synchronization

/// The real `ozzi` binary as a child process, with its stderr captured as it is written.
final class OzziProcess: Sendable {
    let process: Process
    private let output = LogBuffer()

    /// A binary built beside this test bundle (`ozzi`, `ozzi-probe`).
    static func binary(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    init(_ arguments: [String], binary: String = "ozzi") throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: OzziProcess.binary(binary))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if !data.isEmpty { output.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
    }

    var log: String { output.text.withLock { $0 } }

    /// Waits until the log contains `text`; returns the log.
    func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let log = self.log
            if log.contains(text) { return log }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Timeout(waitingFor: text, log: log)
    }

    /// The port from the `listening` log line.
    func listeningPort() async throws -> Int {
        let log = try await waitFor("\"msg\":\"listening\"")
        guard let range = log.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(log[range].split(separator: ":").last!) else { throw Timeout(waitingFor: "port", log: log) }
        return port
    }

    /// Waits for the process to exit; returns its status.
    func waitForExit(timeout: Duration = .seconds(15)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.terminate()
            throw Timeout(waitingFor: "exit", log: log)
        }
        return process.terminationStatus
    }

    struct Timeout: Error, CustomStringConvertible {
        let waitingFor: String
        let log: String
        var description: String { "timed out waiting for \(waitingFor); log:\n\(log)" }
    }
}

/// What the child wrote so far; appended from the pipe's reader thread.
final class LogBuffer: Sendable {
    let text = Mutex("")
}

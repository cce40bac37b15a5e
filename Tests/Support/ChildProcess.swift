import Foundation

/// A long-running child process (a stub server, a host) whose output is captured as it is written.
public final class ChildProcess: Sendable {
    public let process: SpawnedProcess

    public init(_ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String] = [:]) throws {
        process = try SpawnedProcess(executable, arguments, directory: directory, environment: environment, mergeOutput: true)
        process.closeInput()
    }

    /// Everything written to stdout and stderr so far.
    public var log: String { process.stdout }

    /// Waits until the output matches `pattern` (a regular expression); returns the first capture group.
    /// The timeout only stops a broken test from hanging: generous, as a loaded machine is slow (CI saw a
    /// Python stub take over a minute to print its port while a full suite ran on two cores).
    public func waitFor(_ pattern: String, timeout: Duration = .seconds(240)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        func found() -> String? {
            let text = log
            guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return String(text[Range(range, in: text)!])
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = found() { return value }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        // Once more: what was written while the last wait ran out (or before the process ended) counts.
        if let value = found() { return value }
        throw Timeout(pattern: pattern, log: log)
    }

    public func stop() {
        process.signal(SIGTERM)
    }

    public struct Timeout: Error, CustomStringConvertible {
        public let pattern: String
        public let log: String

        public init(pattern: String, log: String) {
            self.pattern = pattern
            self.log = log
        }

        public var description: String { "timed out waiting for /\(pattern)/; output:\n\(log)" }
    }
}

import Foundation

/// Runs real clients (curl, Python) as child processes without blocking a concurrency thread.
public enum Subprocess {
    public struct Output {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) async throws -> Output {
        let process = try SpawnedProcess(executable, arguments)
        process.closeInput(after: stdin)
        let status = await process.wait()
        return Output(status: status, stdout: process.stdout, stderr: process.stderr)
    }

    /// curl, silent but for errors. A request gets 120 s: during the PostgreSQL pass hundreds of hosts
    /// share two cores and a request can wait more than 20 s for an answer that is right (a test that
    /// wants less gives its own `--max-time`, which comes later and wins).
    public static func curl(_ arguments: [String], stdin: Data? = nil) async throws -> Output {
        try await run("/usr/bin/curl", ["-sS", "--max-time", "120"] + arguments, stdin: stdin)
    }

    /// The path of one of the Python clients in Tests/clients.
    public static func clientPath(_ script: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("clients/\(script)").path
    }

    /// Runs one of the Python clients in Tests/clients with Debian's python3 (which has `websockets`)
    /// and decodes the JSON it prints.
    public static func python(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let path = clientPath(script)
        let output = try await run("/usr/bin/python3", [path] + arguments)
        guard output.status == 0, let data = output.stdout.data(using: .utf8),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ClientFailure(script: script, output: output)
        }
        return json
    }

    public struct ClientFailure: Error, CustomStringConvertible {
        let script: String
        let output: Output
        public var description: String { "\(script) exited \(output.status): \(output.stderr)\(output.stdout)" }
    }
}

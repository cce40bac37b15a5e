import Foundation

/// A local stand-in for a provider (`Tests/clients/*_stub.py`): started with its arguments, listening on
/// the port it prints (`PORT n`), and answering `GET /requests` with every request it recorded.
public final class StubServer: Sendable {
    public let process: ChildProcess
    public let port: Int

    public init(_ script: String, _ arguments: [String], environment: [String: String] = [:]) async throws {
        process = try ChildProcess("/usr/bin/python3", [Subprocess.clientPath(script)] + arguments, environment: environment)
        port = Int(try await process.waitFor(#"PORT (\d+)"#))!
    }

    public var base: String { "http://127.0.0.1:\(port)" }

    /// The requests the stub recorded, oldest first, as it answers them.
    public func requests() async throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(try await Subprocess.curl([base + "/requests"]).stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// A GET of one of the stub's own controls (`/set-numbers?n=4`).
    public func control(_ path: String) async throws {
        _ = try await Subprocess.curl([base + path])
    }

    deinit { process.stop() }
}

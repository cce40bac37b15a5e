import Foundation
import OzziRuntime

/// The engines the tests' hosts run on. By default the embedded ones (SQLite files, in-process pub/sub);
/// with `OZZI_TEST_ENGINE=postgres` each host's `[server.backends]` names a fresh PostgreSQL database and the
/// shared test Redis, so one suite proves the workers on both (`make test` runs it both ways).
public enum TestBackends {
    public static var engine: String { ProcessInfo.processInfo.environment["OZZI_TEST_ENGINE"] ?? "sqlite" }

    public static var shared: Bool { engine == "postgres" }

    /// The backends for a host whose data lives in `dataDirectory`. A host started again on the same
    /// folder (a restart) gets the same database, as it gets the same SQLite files, so the database's URL
    /// is kept in the folder.
    public static func backends(dataDirectory: String) async throws -> HostConfig.Backends {
        guard shared else { return HostConfig.Backends() }
        let kept = dataDirectory + "/.test-postgres-url"
        let postgres: String
        if let url = try? String(contentsOfFile: kept, encoding: .utf8) {
            postgres = url
        } else {
            postgres = try await TestPostgres.shared.database()
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try postgres.write(toFile: kept, atomically: true, encoding: .utf8)
        }
        // Hosts of one test share a namespace; every test its own, as tests share the Redis.
        return HostConfig.Backends(postgres: postgres, redis: "\(try await TestRedis.shared().url)",
                                   namespace: URL(fileURLWithPath: dataDirectory).lastPathComponent)
    }
}

import OzziTestSupport
import Testing
@testable import OzziRuntime

/// The engines the KV binding's tests run on: SQLite files of the test's own, a database of its own on
/// the test PostgreSQL, or keys of its own on the test Redis.
enum KVEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres, redis

    var testDescription: String { rawValue }

    /// Runs `body` with a namespace for each of `names`, side by side in one store of this engine (one
    /// folder, one schema, one Redis), on `clock`.
    func withNamespaces(_ names: [String] = ["kv"], clock: any WallClock, _ test: String = #function,
                        _ body: ([any KVNamespace]) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = try scratchDirectory(test)
            try await body(try names.map { try SQLiteKV(path: "\(directory)/\($0).sqlite", clock: clock) })
        case .postgres:
            let database = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "worker")
            try await body(try names.map { try PostgresKV(database: database, namespace: $0, clock: clock) })
        case .redis:
            let prefix = TestRedis.unique("kv") + ":"
            try await withRedisHosts(1) { clients in
                try await body(names.map { RedisKV(client: clients[0], namespace: $0, clock: clock, keyPrefix: prefix) })
            }
        }
    }

    /// Runs `body` with one namespace as two hosts see it: two handles on one SQLite file, two connection
    /// pools on one PostgreSQL database, two Redis clients on two loops.
    func withTwoHosts(clock: any WallClock, _ test: String = #function,
                      _ body: (any KVNamespace, any KVNamespace) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let path = try scratchDirectory(test) + "/kv.sqlite"
            try await body(try SQLiteKV(path: path, clock: clock), try SQLiteKV(path: path, clock: clock))
        case .postgres:
            let url = try await TestPostgres.shared.database()
            let hosts = try (0..<2).map { _ in try PostgresKV(database: try PostgresDatabase(url: url, schema: "worker"), namespace: "kv", clock: clock) }
            try await body(hosts[0], hosts[1])
        case .redis:
            let prefix = TestRedis.unique("kv") + ":"
            try await withRedisHosts(2) { clients in
                let hosts = clients.map { RedisKV(client: $0, namespace: "kv", clock: clock, keyPrefix: prefix) }
                try await body(hosts[0], hosts[1])
            }
        }
    }
}

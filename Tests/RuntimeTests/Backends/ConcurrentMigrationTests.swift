import OzziTestSupport
import Testing
@testable import OzziRuntime

/// Hosts started together on one PostgreSQL each migrate the same schema at start-up.
@Suite struct ConcurrentMigrationTests {
    @Test func hostsMigratingOneSchemaAtOnceApplyEachMigrationOnce() async throws {
        let url = try await TestPostgres.shared.database()
        let migrations = (1...6).map { n in
            SQLMigration(name: String(format: "%04d_step", n), sql: "CREATE TABLE step_\(n) (id BIGINT PRIMARY KEY); INSERT INTO step_\(n) VALUES (\(n))")
        }
        let hosts = try (0..<4).map { _ in try PostgresDatabase(url: url, schema: "app", connections: 1) }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for host in hosts { group.addTask { try await host.migrate(migrations) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == migrations.map(\.name), "each applied by exactly one host")
        for n in 1...6 {
            #expect(try await hosts[0].prepare("SELECT count(*) AS n FROM step_\(n)").first()?.integer("n") == 1)
        }
    }
}

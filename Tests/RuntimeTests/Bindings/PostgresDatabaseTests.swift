import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// What only the PostgreSQL engine has: a pool of server connections, worker schemas, values by column
/// type, and errors that name the server. The binding's contract itself is SQLDatabaseTests, on both engines.
@Suite struct PostgresDatabaseTests {
    @Test(arguments: SQLEngine.allCases) func constraintViolationsMapToTheSameErrors(engine: SQLEngine) async throws {
        let db = try await engine.database()
        _ = try await db.transaction { tx in
            try tx.run("CREATE TABLE teams (id INTEGER PRIMARY KEY)")
            try tx.run("CREATE TABLE members (email TEXT NOT NULL UNIQUE, team INTEGER REFERENCES teams (id), age INTEGER CHECK (age >= 0))")
            try tx.run("INSERT INTO teams (id) VALUES (1)")
            try tx.run("INSERT INTO members (email, team, age) VALUES ('a@example.com', 1, 30)")
        }
        func violation(_ sql: String) async -> SQLError? {
            do {
                try await db.prepare(sql).run()
                return nil
            } catch {
                return error as? SQLError
            }
        }
        // SQLite's extended codes: SQLITE_CONSTRAINT_UNIQUE, _FOREIGNKEY, _NOTNULL, _CHECK.
        let unique = await violation("INSERT INTO members (email) VALUES ('a@example.com')")
        #expect(unique?.kind == .constraint && unique?.isUniqueViolation == true && unique?.extendedCode == 2067)
        let foreignKey = await violation("INSERT INTO members (email, team) VALUES ('b@example.com', 9)")
        #expect(foreignKey?.kind == .constraint && foreignKey?.isUniqueViolation == false && foreignKey?.extendedCode == 787)
        let notNull = await violation("INSERT INTO members (email) VALUES (NULL)")
        #expect(notNull?.isConstraintViolation == true && notNull?.extendedCode == 1299)
        let check = await violation("INSERT INTO members (email, age) VALUES ('c@example.com', -1)")
        #expect(check?.isConstraintViolation == true && check?.extendedCode == 275)
        if engine == .postgres {
            #expect([unique, foreignKey, notNull, check].map { $0?.sqlState } == ["23505", "23503", "23502", "23514"])
            #expect(unique?.description.hasPrefix("PostgreSQL error 23505: duplicate key") == true)
        }
    }

    @Test(arguments: SQLEngine.allCases) func valuesComeBackAsTheyWereStored(engine: SQLEngine) async throws {
        let db = try await engine.database()
        _ = try await db.transaction { try $0.run("CREATE TABLE v (i BIGINT, r REAL, t TEXT, b \(engine.blobType), n TEXT)") }
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xff]
        try await db.prepare("INSERT INTO v VALUES (?, ?, ?, ?, ?)").bind(Int64.max, 2.5, "naïve 'quoted' ?", bytes, SQLValue.null).run()
        let row = try #require(try await db.prepare("SELECT i, r, t, b, n, i - 1 AS less FROM v").first())
        #expect(row.values == [.integer(.max), .real(2.5), .text("naïve 'quoted' ?"), .blob(bytes), .null, .integer(.max - 1)])
    }

    @Test func columnTypesMapToSQLiteStorageClasses() async throws {
        let db = try await SQLEngine.postgres.database()
        let row = try #require(try await db.prepare("""
            SELECT 1::int2 AS small, 2::int4 AS int, 3::int8 AS big, 1.5::float4 AS f4, 2.25::float8 AS f8, 3.75::numeric AS num,
              true AS yes, false AS no, '\\x00ff'::bytea AS bytes, 'x'::varchar AS chars, '{"a":1}'::json AS doc,
              '2026-01-02 03:04:05'::timestamp AS at
            """).first())
        #expect(row.values == [.integer(1), .integer(2), .integer(3), .real(1.5), .real(2.25), .real(3.75), .integer(1), .integer(0),
                               .blob([0, 0xff]), .text("x"), .text(#"{"a":1}"#), .text("2026-01-02 03:04:05")])
    }

    @Test func eachWorkerHasItsOwnSchema() async throws {
        let url = try await TestPostgres.shared.database()
        let api = try PostgresDatabase(url: url, schema: "api")
        let widget = try PostgresDatabase(url: url, schema: "widget")
        try await api.prepare("CREATE TABLE notes (body TEXT)").run()
        try await widget.prepare("CREATE TABLE notes (body TEXT)").run()
        try await api.prepare("INSERT INTO notes VALUES (?)").bind("api's").run()
        #expect(try await widget.prepare("SELECT count(*) AS n FROM notes").first()?.integer("n") == 0)
        #expect(try await api.prepare("SELECT current_schema() AS s").first()?.text("s") == "api")
    }

    @Test func aLostConnectionIsReplaced() async throws {
        let url = try await TestPostgres.shared.database()
        let db = try PostgresDatabase(url: url, connections: 1)
        let pid = try #require(try await db.prepare("SELECT pg_backend_pid() AS pid").first()?.integer("pid"))
        let admin = try PostgresDatabase(url: url, connections: 1)
        // The timeout makes it wait until the backend has gone.
        #expect(try await admin.prepare("SELECT pg_terminate_backend(?::int, 30000) AS done").bind(pid).first()?.integer("done") == 1)
        // The statement that meets the closed connection fails (it may or may not have reached the server,
        // so it is not retried behind the caller's back); the pool then opens a new connection.
        await #expect(throws: SQLError.self) { try await db.prepare("SELECT 1 AS one").first() }
        let after = try await db.prepare("SELECT pg_backend_pid() AS pid").first()?.integer("pid")
        #expect(after != nil && after != pid)
    }

    @Test func anUnreachableServerIsAnErrorNamingTheURLWithoutThePassword() throws {
        // Nothing listens on port 1: the connection is refused at once.
        do {
            _ = try PostgresDatabase(url: "postgresql://ozzi:hunter2@127.0.0.1:1/app?connect_timeout=5")
            Issue.record("connected to nothing")
        } catch let error as SQLError {
            #expect(error.message.contains("cannot connect to postgresql://ozzi:***@127.0.0.1:1/app"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func thePoolHoldsAtMostItsSizeOfConnections() async throws {
        let db = try PostgresDatabase(url: try await TestPostgres.shared.database(), connections: 2)
        let backends = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<12 {
                group.addTask { try await db.prepare("SELECT pg_backend_pid() AS pid FROM pg_sleep(0.01)").first()?.integer("pid") }
            }
            return try await group.reduce(into: Set<Int64?>()) { $0.insert($1) }
        }
        #expect(backends.count <= 2 && !backends.contains(nil))
    }
}

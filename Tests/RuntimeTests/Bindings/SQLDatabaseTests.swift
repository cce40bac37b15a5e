import CSQLite
import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// The binding's contract, on each engine (`SQLEngine`); SQLite's file-level guarantees at the end.
@Suite struct SQLDatabaseTests {
    func database(_ engine: SQLEngine, _ name: String = #function) async throws -> any SQLBlockingDatabase {
        let db = try await engine.database(name)
        _ = try await db.transaction { tx in
            try tx.run("CREATE TABLE people (id \(engine.generatedKey), email TEXT NOT NULL UNIQUE, active INTEGER NOT NULL, born TEXT, tags TEXT)")
        }
        return db
    }

    struct Person: Decodable, SQLRecord, Equatable {
        let id: Int
        let email: String
        let active: Bool
        let born: Date?
        let tags: [String]?
        enum CodingKeys: String, SQLColumn { case id, email, active, born, tags }
        typealias Columns = CodingKeys
    }

    @Test(arguments: SQLEngine.allCases) func prepareBindRunAndDecode(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let born = Date(timeIntervalSince1970: 1_000_000_000.5)
        let inserted = try await db.prepare("INSERT INTO people (email, active, born, tags) VALUES (?, ?, ?, ?) RETURNING id")
            .bind("a@example.com", true, born, #"["x","y"]"#).run()
        #expect(inserted.changes == 1)
        #expect(inserted.rows.first?.integer("id") == 1)
        // PostgreSQL has no rowid: RETURNING is how both engines give the new key.
        #expect(inserted.lastInsertRowID == (engine == .sqlite ? 1 : 0))
        try await db.prepare("INSERT INTO people (email, active) VALUES (?, ?)").bind("b@example.com", false).run()
        let people = try await db.prepare("SELECT \(Person.selection) FROM people ORDER BY id").all(Person.self)
        #expect(people == [
            Person(id: 1, email: "a@example.com", active: true, born: born, tags: ["x", "y"]),
            Person(id: 2, email: "b@example.com", active: false, born: nil, tags: nil),
        ])
        #expect(try await db.prepare("SELECT email FROM people WHERE id = ?").bind(2).first()?.text("email") == "b@example.com")
        #expect(try await db.prepare("SELECT \(Person.selection) FROM people WHERE id = ?").bind(99).first(Person.self) == nil)
        let returning = try await db.prepare("UPDATE people SET active = 0 WHERE id = ? RETURNING email").bind(1).run()
        #expect(returning.rows.first?.text("email") == "a@example.com")
    }

    /// Text binds as exactly its UTF-8: the empty string is '' (not NULL), long, non-ASCII and small
    /// (inline) strings come back as they went in.
    @Test(arguments: SQLEngine.allCases) func textBindsAsItsUTF8(engine: SQLEngine) async throws {
        let db = try await database(engine)
        for text in ["", "a", "ü", "Grüße, 世界 👋🏽", String(repeating: "long text ", count: 400)] {
            let row = try await db.prepare("SELECT CAST(? AS TEXT) AS value, CASE WHEN CAST(? AS TEXT) IS NULL THEN 1 ELSE 0 END AS absent")
                .bind(text, text).first()
            #expect(row?.text("value") == text, "\(text.prefix(20))")
            #expect(row?.integer("absent") == 0)
        }
    }

    /// Many rows in a few multi-row statements (chunks of 128, 64, ... rows), nulls and all; the suffix
    /// goes after each, so a conflict skips only its row.
    @Test(arguments: SQLEngine.allCases) func insertManyRows(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let rows: [[SQLValue]] = (0..<301).map { i in [.text("p\(i)@example.com"), .integer(Int64(i % 2)), i % 3 == 0 ? .null : .text("t\(i)")] }
        let inserted = try await db.transaction { tx in
            try tx.insert(into: "people", columns: ["email", "active", "tags"], rows: rows)
        }
        #expect(inserted == 301)
        let again = try await db.transaction { tx in
            try tx.insert(into: "people", columns: ["email", "active", "tags"], rows: [[.text("p7@example.com"), .integer(0), .null], [.text("new@example.com"), .integer(1), .null]],
                          suffix: "ON CONFLICT (email) DO NOTHING")
        }
        #expect(again == 1, "the existing address is skipped, the new one inserted")
        #expect(try await db.prepare("SELECT count(*) AS n FROM people").first()?.integer("n") == 302)
        let row = try await db.prepare("SELECT active, tags FROM people WHERE email = ?").bind("p299@example.com").first()
        #expect(row?.integer("active") == 1 && row?.text("tags") == "t299")
        #expect(try await db.prepare("SELECT tags FROM people WHERE email = ?").bind("p300@example.com").first()?.text("tags") == nil)
        #expect(try await db.transaction { tx in try tx.insert(into: "people", columns: ["email"], rows: []) } == 0)
    }

    /// With a file named, each statement's time is summed by file and text and the table written out.
    @Test func statementProfileWritesItsTable() async throws {
        let path = try scratchDirectory() + "/profile.tsv"
        let profile = SQLStatementProfile(path: path)
        #expect(profile.enabled && !SQLStatementProfile(path: nil).enabled)
        profile.add("SELECT 1\nFROM people", file: "api.sqlite", since: SQLStatementProfile.cpuNow())
        let columns = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first?.split(separator: "\t") ?? []
        #expect(columns.count == 4 && columns[1] == "1" && columns[3] == "api.sqlite | SELECT 1 FROM people", "\(columns)")
    }

    @Test(arguments: SQLEngine.allCases) func constraintViolationsAreTypedAndCarryTheSQL(engine: SQLEngine) async throws {
        let db = try await database(engine)
        try await db.prepare("INSERT INTO people (email, active) VALUES (?, 1)").bind("dup@example.com").run()
        do {
            try await db.prepare("INSERT INTO people (email, active) VALUES (?, 1)").bind("dup@example.com").run()
            Issue.record("duplicate accepted")
        } catch let error as SQLError {
            #expect(error.kind == .constraint)
            #expect(error.isUniqueViolation)
            #expect(error.sql.contains("INSERT INTO people"))
            #expect(error.message.lowercased().contains("unique"))
        }
        await #expect(throws: SQLError.self) { try await db.prepare("SELEKT 1").run() }
        await #expect(throws: SQLError.self) { try await db.prepare("SELECT ?").bind(1, 2).run() }
    }

    @Test(arguments: SQLEngine.allCases) func batchIsAllOrNothing(engine: SQLEngine) async throws {
        let db = try await database(engine)
        await #expect(throws: SQLError.self) {
            try await db.batch([
                db.prepare("INSERT INTO people (email, active) VALUES ('x@example.com', 1)"),
                db.prepare("INSERT INTO people (email, active) VALUES ('x@example.com', 1)"),
            ])
        }
        #expect(try await db.prepare("SELECT count(*) AS n FROM people").first()?.integer("n") == 0)
        let results = try await db.batch([
            db.prepare("INSERT INTO people (email, active) VALUES (?, 1)").bind("y@example.com"),
            db.prepare("INSERT INTO people (email, active) VALUES (?, 1)").bind("z@example.com"),
        ])
        #expect(results.map(\.changes) == [1, 1])
    }

    @Test(arguments: SQLEngine.allCases) func transactionReadsThenWrites(engine: SQLEngine) async throws {
        let db = try await database(engine)
        try await db.prepare("INSERT INTO people (email, active) VALUES ('counter@example.com', 0)").run()
        // Many concurrent read-modify-write transactions: none may lose an update.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await db.transaction { tx in
                        let current = try tx.all("SELECT active FROM people WHERE id = 1").first?.integer("active") ?? 0
                        try tx.run("UPDATE people SET active = ? WHERE id = 1", current + 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await db.prepare("SELECT active FROM people WHERE id = 1").first()?.integer("active") == 50)
        struct Rollback: Error {}
        await #expect(throws: Rollback.self) {
            try await db.transaction { tx in
                try tx.run("DELETE FROM people")
                throw Rollback()
            }
        }
        #expect(try await db.prepare("SELECT count(*) AS n FROM people").first()?.integer("n") == 1)
    }

    @Test(arguments: SQLEngine.allCases) func concurrentReadersDoNotBlockEachOther(engine: SQLEngine) async throws {
        // Its own pool, so other tests' work cannot hold the threads this measures.
        let db = try await engine.database(pool: BlockingPool(threads: 4))
        _ = try await db.transaction { try $0.run("CREATE TABLE t (x INTEGER)") }
        // Ordering, not durations: a read and a write both complete while a long read is still running. On a
        // starved machine the quick pair can be slow to be scheduled at all, so a lost race is run again with
        // a long read four times longer (twice); a reader that really blocks loses every round.
        var quickFirst = false
        for rows in [8_000_000, 32_000_000, 128_000_000] where !quickFirst {
            let slowDone = Flag()
            let slow = Task {
                let row = try await db.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(rows)) SELECT count(*) AS n FROM c").first()
                slowDone.set()
                return row
            }
            try await Task.sleep(for: .milliseconds(50))  // a head start; were it not taken, the test could only pass
            _ = try await db.prepare("SELECT count(*) AS n FROM t").first()
            try await db.prepare("INSERT INTO t VALUES (1)").run()
            quickFirst = !slowDone.isSet
            #expect(try await slow.value?.integer("n") == Int64(rows))
        }
        #expect(quickFirst, "a read and a write finished while a long read was still running")
    }

    @Test(arguments: SQLEngine.allCases) func migrationsRunOnceInOrderAndRefuseEdits(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let first = [SQLMigration(name: "0001_a", sql: "CREATE TABLE a (x INTEGER);"), SQLMigration(name: "0002_b", sql: "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);")]
        #expect(try await db.applyMigrations(first) == ["0001_a", "0002_b"])
        #expect(try await db.applyMigrations(first) == [])
        #expect(try await db.applyMigrations(first + [SQLMigration(name: "0003_c", sql: "ALTER TABLE a ADD COLUMN z TEXT;")]) == ["0003_c"])
        await #expect(throws: SQLMigrationError.edited("0001_a")) {
            try await db.applyMigrations([SQLMigration(name: "0001_a", sql: "CREATE TABLE a (changed INTEGER);")])
        }
        do {
            try await db.applyMigrations(first + [SQLMigration(name: "0004_bad", sql: "CREATE TABLE b (again INTEGER);")])
            Issue.record("a failing migration was accepted")
        } catch let error as SQLMigrationError {
            #expect(error.description.contains("0004_bad"))
        }
        #expect(try await db.prepare("SELECT count(*) AS n FROM _ozzi_migrations").first()?.integer("n") == 3)
    }

    @Test func migrationsLoadFromADirectoryInNameOrder() throws {
        let directory = try scratchDirectory()
        try "CREATE TABLE two (x);".write(toFile: directory + "/0002_two.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE one (x);".write(toFile: directory + "/0001_one.sql", atomically: true, encoding: .utf8)
        try "not a migration".write(toFile: directory + "/README.md", atomically: true, encoding: .utf8)
        #expect(try SQLMigration.load(directory: directory, for: .sqlite).map(\.name) == ["0001_one", "0002_two"])
        #expect(throws: SQLMigrationError.missingDirectory(directory + "/nope")) { try SQLMigration.load(directory: directory + "/nope", for: .sqlite) }
    }

    @Test func anEngineFileStandsInForTheSharedOneUnderTheSameName() throws {
        let directory = try scratchDirectory()
        try "CREATE TABLE one (x INTEGER);".write(toFile: directory + "/0001_one.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE two (x BLOB);".write(toFile: directory + "/0002_two.sqlite.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE two (x BYTEA);".write(toFile: directory + "/0002_two.postgres.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE three (x);".write(toFile: directory + "/0003_three.sqlite.sql", atomically: true, encoding: .utf8)
        let sqlite = try SQLMigration.load(directory: directory, for: .sqlite)
        #expect(sqlite.map(\.name) == ["0001_one", "0002_two", "0003_three"])
        #expect(sqlite.map(\.sql) == ["CREATE TABLE one (x INTEGER);", "CREATE TABLE two (x BLOB);", "CREATE TABLE three (x);"])
        // A migration written for one engine only is a gap in the other's history, not a skip.
        #expect(throws: SQLMigrationError.missingEngine("0003_three", .postgres)) { try SQLMigration.load(directory: directory, for: .postgres) }
        try "CREATE TABLE three (x TEXT);".write(toFile: directory + "/0003_three.postgres.sql", atomically: true, encoding: .utf8)
        #expect(try SQLMigration.load(directory: directory, for: .postgres).map(\.sql)
                == ["CREATE TABLE one (x INTEGER);", "CREATE TABLE two (x BYTEA);", "CREATE TABLE three (x TEXT);"])
    }

    @Test func aKilledWriterLeavesCommittedRowsReadable() async throws {
        // WAL with synchronous=NORMAL: what a transaction committed is in the file after the connection is gone.
        let path = try scratchDirectory() + "/durable.sqlite"
        do {
            let db = try SQLiteDatabase(path: path)
            _ = try db.transactionNow { try $0.run("CREATE TABLE t (x INTEGER)") }
            try await db.prepare("INSERT INTO t VALUES (42)").run()
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try await reopened.prepare("SELECT x FROM t").first()?.integer("x") == 42)
        #expect(try await reopened.prepare("PRAGMA journal_mode").first()?.text("journal_mode") == "wal")
    }

    @Test func sqliteKeepsNoMemoryStatistics() async throws {
        // Off before the process's first open (`SQLiteConnection.configured`): every allocation would take a global mutex.
        let db = try SQLiteDatabase(path: try scratchDirectory() + "/memstatus.sqlite")
        _ = try db.transactionNow { try $0.run("CREATE TABLE t (x TEXT)") }
        try await db.prepare("INSERT INTO t VALUES (?)").bind(String(repeating: "x", count: 100_000)).run()
        #expect(sqlite3_memory_used() == 0)
        #expect(ozzi_sqlite3_config_int(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_MISUSE, "SQLite is initialized: too late to configure")
    }

    @Test func aBatchedStatementKeepsItsJournalInMemory() async throws {
        // 2,000 rows rewritten under a UNIQUE index inside a transaction: the statement journal holds every page
        // the UPDATE touches (about 800 KB), past SQLite's 64 KiB default. Spilled, it is a temporary file
        // (`etilqs_*`, unlinked at once) that stays open until the transaction ends.
        let db = try SQLiteDatabase(path: try scratchDirectory() + "/journal.sqlite")
        _ = try db.transactionNow { tx in
            try tx.run("CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, pad TEXT NOT NULL)")
            let rows = (0..<2_000).map { i -> [SQLValue] in [.integer(Int64(i)), .text("key-\(i)"), .text(String(repeating: "p", count: 300))] }
            _ = try tx.insert(into: "t", columns: ["id", "key", "pad"], rows: rows)
        }
        // Only the files opened during the UPDATE count: another test's temporary file open meanwhile is not this one's.
        func temporaryFiles() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
                .compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
                .filter { $0.contains("etilqs_") })
        }
        let spilled = try db.transactionNow { tx -> Set<String> in
            let before = try temporaryFiles()
            #expect(try tx.run("UPDATE t SET key = key || '-2', pad = upper(pad)").changes == 2_000)
            return try temporaryFiles().subtracting(before)
        }
        #expect(spilled.isEmpty, "statement journals spilled to \(spilled)")
    }
}

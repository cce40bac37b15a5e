import Foundation
import OzziTestSupport
import Testing
@testable import OzziRuntime

/// The row contract: rows decode into `SQLRecord`s, and a row that does not fit throws an `SQLError`
/// naming the column, never a default. On each engine (`SQLEngine`), but for what only SQLite's dynamic
/// typing can store.
@Suite struct SQLRecordTests {
    func database(_ engine: SQLEngine, _ name: String = #function) async throws -> any SQLDatabase {
        let db = try await engine.database(name)
        _ = try await db.transaction { tx in
            try tx.run("""
                CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL, count INTEGER, ratio REAL, done INTEGER,
                  picture \(engine.blobType), seen TEXT, fields TEXT, tags TEXT, state TEXT, level INTEGER, size TEXT)
                """)
        }
        return db
    }

    enum State: String, Decodable { case open, closed }
    enum Level: Int, Decodable { case low = 1, high = 2 }
    struct Size: Decodable, Equatable { let width: Int; let height: Int }

    /// A field of each kind the decoder reads.
    struct Thing: Decodable, SQLRecord, Equatable {
        let id: Int64
        let name: String
        let count: Int?
        let ratio: Double
        let done: Bool
        let picture: [UInt8]?
        let seen: Date?
        let fields: JSONValue
        let tags: [String]
        let state: State
        let level: Level?
        let size: Size?
        enum CodingKeys: String, SQLColumn { case id, name, count, ratio, done, picture, seen, fields, tags, state, level, size }
        typealias Columns = CodingKeys
    }

    struct Stamp: Decodable, SQLRecord {
        let at: Date
        let bytes: Data
        enum CodingKeys: String, SQLColumn { case at, bytes }
        typealias Columns = CodingKeys
    }

    /// Columns named unlike the fields, and a field built from two columns, read without Codable.
    struct Renamed: SQLRecord, Equatable {
        let title: String
        let counts: [Int]
        enum Columns: String, SQLColumn { case name, count, level }
        init(title: String, counts: [Int]) {
            self.title = title
            self.counts = counts
        }
        init(row: SQLRecordRow<Columns>) throws {
            title = try row.decode(String.self, forKey: .name)
            counts = [try row.decode(Int.self, forKey: .count), try row.decodeIfPresent(Int.self, forKey: .level) ?? 0]
        }
    }

    /// Another record's columns plus one of its own, from one row.
    struct Ranked: SQLRecord {
        let thing: Renamed
        let rank: Int
        enum Columns: String, SQLColumn { case rank }
        init(row: SQLRecordRow<Columns>) throws {
            thing = try row.record(Renamed.self)
            rank = try row.decode(Int.self, forKey: .rank)
        }
    }

    /// A record that refuses a value itself.
    struct Positive: Decodable, SQLRecord {
        let count: Int
        enum Columns: String, SQLColumn { case count }
        init(from decoder: any Decoder) throws {
            let row = try decoder.container(keyedBy: Columns.self)
            count = try row.decode(Int.self, forKey: .count)
            guard count > 0 else { throw DecodingError.dataCorruptedError(forKey: .count, in: row, debugDescription: "must be positive") }
        }
    }

    func execute(_ db: any SQLDatabase, _ sql: String, _ values: any SQLBindable...) async throws {
        try await db.prepare(sql).bind(values).run()
    }

    func mismatch(_ body: () async throws -> Void) async -> SQLError? {
        do {
            try await body()
            Issue.record("the row was accepted")
            return nil
        } catch let error as SQLError {
            #expect(error.kind == .mismatch)
            return error
        } catch {
            Issue.record("threw \(error), not an SQLError")
            return nil
        }
    }

    @Test(arguments: SQLEngine.allCases) func everyKindOfFieldDecodes(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let seen = Date(timeIntervalSince1970: 1_700_000_000.25)
        try await execute(db, """
            INSERT INTO things (id, name, count, ratio, done, picture, seen, fields, tags, state, level, size)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, 1, "one", 3, 0.5, true, [0, 1, 255] as [UInt8], seen, #"{"plan":"pro","seats":3}"#, #"["a","b"]"#, "open", 2,
            #"{"width":4,"height":5}"#)
        // NULL for every optional; an integer in the REAL column.
        try await execute(db, "INSERT INTO things (id, name, ratio, done, fields, tags, state) VALUES (2, 'two', 2, 0, 'null', '[]', 'closed')")
        let things = try await db.prepare("SELECT \(Thing.selection) FROM things ORDER BY id").all(Thing.self)
        #expect(things == [
            Thing(id: 1, name: "one", count: 3, ratio: 0.5, done: true, picture: [0, 1, 255], seen: seen,
                  fields: ["plan": "pro", "seats": 3], tags: ["a", "b"], state: .open, level: .high, size: Size(width: 4, height: 5)),
            Thing(id: 2, name: "two", count: nil, ratio: 2, done: false, picture: nil, seen: nil,
                  fields: .null, tags: [], state: .closed, level: nil, size: nil),
        ])
        #expect(try await db.prepare("SELECT \(Thing.selection) FROM things WHERE id = ?").bind(2).first(Thing.self) == things[1])
        #expect(try await db.prepare("SELECT \(Thing.selection) FROM things WHERE id = ?").bind(3).first(Thing.self) == nil)
        // A date may also be epoch seconds; bytes may be a blob or text. (Blob literals differ: x'00ff' is
        // a bit string to PostgreSQL.)
        let blob = engine == .sqlite ? "x'00ff'" : #"'\x00ff'::bytea"#
        let stamps = try await db.prepare("SELECT 86400 AS at, \(blob) AS bytes UNION ALL SELECT 1.5, 'hi'").all(Stamp.self)
        #expect(stamps.map(\.at) == [Date(timeIntervalSince1970: 86400), Date(timeIntervalSince1970: 1.5)])
        #expect(stamps.map(\.bytes) == [Data([0, 255]), Data("hi".utf8)])
    }

    @Test(arguments: SQLEngine.allCases) func columnsAreFoundWhereverTheyAreSelected(engine: SQLEngine) async throws {
        let db = try await database(engine)
        try await execute(db, "INSERT INTO things (id, name, count, ratio, done, fields, tags, state) VALUES (1, 'one', 7, 0, 0, '{}', '[]', 'open')")
        // Out of select order, with extra columns, and a repeated name read from its leftmost column.
        let renamed = try await db.prepare("SELECT 9 AS level, id, count, 'first' AS name, name, ratio FROM things").first(Renamed.self)
        #expect(renamed == Renamed(title: "first", counts: [7, 9]))
        let ranked = try await db.prepare("SELECT name, count, NULL AS level, 4 AS rank FROM things").all(Ranked.self)
        #expect(ranked.map(\.thing) == [Renamed(title: "one", counts: [7, 0])])
        #expect(ranked.map(\.rank) == [4])
    }

    @Test func theSelectionNamesTheColumnsOnce() {
        #expect(Renamed.selection == "name, count, level")
        #expect(Renamed.selection(from: "t") == "t.name, t.count, t.level")
        #expect(Thing.selection.hasPrefix("id, name, count, ratio,"))
    }

    @Test(arguments: SQLEngine.allCases) func aMissingColumnIsNamed(engine: SQLEngine) async throws {
        let db = try await database(engine)
        try await execute(db, "INSERT INTO things (id, name, count, ratio, done, fields, tags, state) VALUES (1, 'one', 1, 0, 0, '{}', '[]', 'open')")
        let error = await mismatch { _ = try await db.prepare("SELECT name, level FROM things").all(Renamed.self) }
        #expect(error?.column == "count")
        #expect(error?.message.contains("Renamed") == true)
        #expect(error?.sql == "SELECT name, level FROM things")
        // An optional field's column must be selected too: a NULL is nil, an absent column is a mistake.
        let optional = await mismatch { _ = try await db.prepare("SELECT name, count FROM things").first(Renamed.self) }
        #expect(optional?.column == "level")
        let generic = await mismatch { _ = try await db.prepare("SELECT id, name, ratio, done FROM things").first(Thing.self) }
        #expect(generic?.column == "count")
    }

    /// SQLite only: PostgreSQL refuses text in an INTEGER column when it is written.
    @Test func aValueOfAnotherTypeIsNamed() async throws {
        let db = try await database(.sqlite)
        try await execute(db, "INSERT INTO things (id, name, count, ratio, done, fields, tags, state) VALUES (1, 'one', 'many', 0, 0, '{}', '[]', 'open')")
        let text = await mismatch { _ = try await db.prepare("SELECT name, count, level FROM things").all(Renamed.self) }
        #expect(text?.column == "count")
        #expect(text?.message.contains("text") == true)
        #expect(text?.message.contains("Int") == true)
        let number = await mismatch { _ = try await db.prepare("SELECT 5 AS name, 1 AS count, NULL AS level").first(Renamed.self) }
        #expect(number?.column == "name")
        let fraction = await mismatch { _ = try await db.prepare("SELECT 'x' AS name, 1.5 AS count, NULL AS level").first(Renamed.self) }
        #expect(fraction?.column == "count")
    }

    @Test(arguments: SQLEngine.allCases) func aNullInANonOptionalFieldIsNamed(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let plain = await mismatch { _ = try await db.prepare("SELECT 'x' AS name, NULL AS count, NULL AS level").first(Renamed.self) }
        #expect(plain?.column == "count")
        #expect(plain?.message.contains("NULL") == true)
        try await execute(db, "INSERT INTO things (id, name, ratio, done, tags, state) VALUES (1, 'one', 0, 0, '[]', 'open')")
        let json = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(json?.column == "fields")
    }

    @Test(arguments: SQLEngine.allCases) func valuesTheTypeRefusesAreNamed(engine: SQLEngine) async throws {
        let db = try await database(engine)
        try await execute(db, "INSERT INTO things (id, name, ratio, done, fields, tags, state) VALUES (1, 'one', 0, 0, '{}', '[]', 'ajar')")
        let state = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(state?.column == "state")
        #expect(state?.message.contains("State") == true)
        try await execute(db, "UPDATE things SET state = 'open', level = 3")
        let level = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(level?.column == "level")
        try await execute(db, "UPDATE things SET level = 1, tags = 'not json'")
        let tags = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(tags?.column == "tags")
        try await execute(db, "UPDATE things SET tags = '[]', fields = '{'")
        let fields = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(fields?.column == "fields")
        try await execute(db, "UPDATE things SET fields = '{}', seen = 'yesterday'")
        let seen = await mismatch { _ = try await db.prepare("SELECT \(Thing.selection) FROM things").all(Thing.self) }
        #expect(seen?.column == "seen")
        let refused = await mismatch { _ = try await db.prepare("SELECT 0 AS count").first(Positive.self) }
        #expect(refused?.column == "count")
        #expect(refused?.message.contains("must be positive") == true)
    }

    @Test(arguments: SQLEngine.allCases) func transactionsReadRecordsToo(engine: SQLEngine) async throws {
        let db = try await database(engine)
        let read = try await db.transaction { tx -> ([Renamed], Renamed?) in
            try tx.run("INSERT INTO things (id, name, count, ratio, done, fields, tags, state) VALUES (1, 'one', 2, 0, 0, '{}', '[]', 'open')")
            return (try tx.all(Renamed.self, "SELECT name, count, level FROM things"),
                    try tx.first(Renamed.self, "SELECT name, count, level FROM things WHERE id = ?", 2))
        }
        #expect(read.0 == [Renamed(title: "one", counts: [2, 0])])
        #expect(read.1 == nil)
        let error = await mismatch { try await db.transaction { tx in _ = try tx.all(Renamed.self, "SELECT name FROM things") } }
        #expect(error?.column == "count")
    }
}

import Foundation
import OzziRuntime
import OzziTestSupport
import Testing

/// The api worker's migrations on both engines: one history under the same names, and on SQLite the very
/// text that existing data folders applied (migrations are forward-only: an edit would stop the host).
@Suite struct APIMigrationTests {
    static let directory = URL(fileURLWithPath: WorkerTestHost.configFile).deletingLastPathComponent()
        .appendingPathComponent("Workers/api/migrations").path

    /// What SQLite data folders recorded before the migrations had engine-specific files (SHA-256 of each text).
    static let recorded = [
        "0001_sweep_runs": "fb0e1a5a6ffe3ed7c752718861ecbc8533405b78b68d804036d795eadab1ada2",
        "0002_identity": "8f5fb96870ddf830dd83436b28ac780521192e307ab1d6ce2191a5892db1d228",
        "0003_contacts": "bce0986eed27d42438156a870f93437c5a098253416f34d7aa672d488a62c82c",
        "0004_messaging": "a95709694ba2c9815df73d6bee34522b7586f91adf1417e7d1831f15660f5bda",
        "0005_webhooks": "0e657bb71f727c2a4222abf426ae222c0f0d1f76c89d6ddc793c66a34baad8a0",
        "0006_study_books": "8f7469bf21a64f63dd82c222c5f26515da8b882aa6d11653f07da585f0bd48b7",
        "0007_workspace_events": "1f8536f139dfa25168050177280ff178822745cbb32156d35404ccad5c0d0203",
        "0008_known_clients": "979d2df8ea5527e8b812d377def652ecb367f927bfff39f525a90b26ae8b2858",
        "0009_send_dispatch": "cbaf7f04661b908027c586f719ea3245679e151b664231cf5bbf6d714df39c6b",
    ]

    @Test func sqliteKeepsTheHistoryExistingDataFoldersRecorded() async throws {
        let path = NSTemporaryDirectory() + "ozzi-api-migrations-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path)
        try await database.migrate(try SQLMigration.load(directory: Self.directory, for: .sqlite))
        let applied = Dictionary(uniqueKeysWithValues: try await database.prepare("SELECT name, checksum FROM _ozzi_migrations").all()
            .map { ($0.text("name") ?? "", $0.text("checksum") ?? "") })
        for (name, checksum) in Self.recorded { #expect(applied[name] == checksum, "\(name)") }
    }

    @Test func postgresAppliesTheSameMigrationsUnderTheSameNames() async throws {
        let database = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "api")
        let names = try SQLMigration.load(directory: Self.directory, for: .sqlite).map(\.name)
        #expect(try await database.migrate(try SQLMigration.load(directory: Self.directory, for: .postgres)) == names)
        #expect(try await database.migrate(try SQLMigration.load(directory: Self.directory, for: .postgres)).isEmpty)
    }

    /// PostgreSQL's search column splits words where FTS5 does (an email is three words), holds the phone
    /// digits and custom field values, and weighs a name above notes.
    @Test func postgresSearchColumnIndexesWhatFTS5Indexes() async throws {
        let database = try PostgresDatabase(url: try await TestPostgres.shared.database(), schema: "api")
        try await database.migrate(try SQLMigration.load(directory: Self.directory, for: .postgres))
        try await database.prepare("INSERT INTO workspaces (id, name, created_by, created_at) VALUES ('w', 'W', 'u', '2026-01-01T00:00:00Z')").run()
        let insert = """
            INSERT INTO contacts (id, workspace_id, name, phone, phone_search, email, notes, custom_fields, source, created_at, updated_at)
            VALUES (?, 'w', ?, ?, ?, ?, ?, ?, 'api', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
            """
        try await database.prepare(insert).bind("c1", "Ann Apollo", "+14155550101", "14155550101 4155550101", "ann@example.com", "", "{\"team\":\"Orbit\",\"n\":7}").run()
        try await database.prepare(insert).bind("c2", "Bob Stone", "+14155550102", "14155550102 4155550102", nil as String?, "met at apollo launch", "{}").run()
        func search(_ query: String) async throws -> [String] {
            try await database.prepare("""
                SELECT id FROM contacts WHERE search @@ to_tsquery('simple', ?)
                ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', search, to_tsquery('simple', ?)) DESC, rowid
                """).bind(query, query).all().compactMap { $0.text("id") }
        }
        #expect(try await search("'example'") == ["c1"])
        #expect(try await search("'4155550102'") == ["c2"])
        #expect(try await search("'orbit'") == ["c1"])
        #expect(try await search("'apollo'") == ["c1", "c2"], "a name outranks notes")
        #expect(try await search("'anne':*AB").isEmpty)
        #expect(try await search("'ap':*AB") == ["c1"], "a typeahead reads names, emails and phones, not notes")
    }
}

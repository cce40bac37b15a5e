import COpenSSL
import FoundationEssentials

/// One named, forward-only schema change: a `.sql` file in the database's `migrations_dir`.
public struct SQLMigration: Sendable, Equatable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    var checksum: String {
        let bytes = Array(sql.utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256(bytes, bytes.count, &digest)
        return digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The migrations in `directory` for `dialect`, in name order (`0001_contacts`, `0002_groups`, ...).
    ///
    /// `NNNN_name.sql` serves both engines; where they differ, `NNNN_name.sqlite.sql` and
    /// `NNNN_name.postgres.sql` stand in for it on their engine. Either way it is one migration, recorded
    /// under `NNNN_name`.
    public static func load(directory: String, for dialect: SQLDialect) throws -> [SQLMigration] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw SQLMigrationError.missingDirectory(directory)
        }
        var shared: [String: String] = [:], own: [String: String] = [:], named: Set<String> = []
        for file in files where file.hasSuffix(".sql") {
            let stem = String(file.dropLast(4))
            if let engine = SQLDialect.allCases.first(where: { stem.hasSuffix("." + $0.rawValue) }) {
                let name = String(stem.dropLast(engine.rawValue.count + 1))
                named.insert(name)
                if engine == dialect { own[name] = file }
            } else {
                named.insert(stem)
                shared[stem] = file
            }
        }
        return try named.sorted().map { name in
            guard let file = own[name] ?? shared[name] else { throw SQLMigrationError.missingEngine(name, dialect) }
            return SQLMigration(name: name, sql: try String(contentsOfFile: directory + "/" + file, encoding: .utf8))
        }
    }
}

public enum SQLMigrationError: Error, Equatable, CustomStringConvertible {
    case missingDirectory(String)
    case edited(String)
    case failed(String, String)
    case missingEngine(String, SQLDialect)

    public var description: String {
        switch self {
        case .missingDirectory(let d): "migrations directory \(d) does not exist"
        case .edited(let n): "migration \(n) changed after it was applied; migrations are forward-only, add a new one"
        case .failed(let n, let why): "migration \(n) failed: \(why)"
        case .missingEngine(let n, let engine): "migration \(n) has a file for another engine but none for \(engine.rawValue) (\(n).sql or \(n).\(engine.rawValue).sql)"
        }
    }
}

extension SQLiteDatabase {
    /// Applies the migrations not applied yet, each in its own transaction; returns their names.
    @discardableResult
    public func migrate(_ migrations: [SQLMigration]) async throws -> [String] {
        try await applyMigrations(migrations)
    }
}

extension PostgresDatabase {
    /// Applies the migrations not applied yet to this database's schema, each in its own transaction;
    /// returns their names.
    @discardableResult
    public func migrate(_ migrations: [SQLMigration]) async throws -> [String] {
        try await applyMigrations(migrations)
    }
}

extension SQLBlockingDatabase {
    @discardableResult
    func applyMigrations(_ migrations: [SQLMigration]) async throws -> [String] {
        try await BlockingPool.shared.run { [self] in try migrateNow(migrations) }
    }

    func migrateNow(_ migrations: [SQLMigration]) throws -> [String] {
        _ = try transactionNow { tx in
            try tx.run("CREATE TABLE IF NOT EXISTS _ozzi_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)")
        }
        let applied = try executeNow("SELECT name, checksum FROM _ozzi_migrations", []).rows
        let checksums = Dictionary(uniqueKeysWithValues: applied.map { ($0.text("name") ?? "", $0.text("checksum") ?? "") })
        var ran: [String] = []
        for migration in migrations {
            if let checksum = checksums[migration.name] {
                guard checksum == migration.checksum else { throw SQLMigrationError.edited(migration.name) }
                continue
            }
            let appliedHere: Bool
            do {
                appliedHere = try transactionNow { tx -> Bool in
                    // Hosts starting together on one PostgreSQL run their migrations one at a time (the
                    // transaction holds the schema's lock): one applies each, the others find it done.
                    if let done = try tx.all("SELECT checksum FROM _ozzi_migrations WHERE name = ?", migration.name).first {
                        guard done.text("checksum") == migration.checksum else { throw SQLMigrationError.edited(migration.name) }
                        return false
                    }
                    try tx.connection.execute(migration.sql)
                    try tx.run("INSERT INTO _ozzi_migrations (name, checksum, applied_at) VALUES (?, ?, ?)",
                               migration.name, migration.checksum, Date())
                    return true
                }
            } catch let error as SQLError {
                throw SQLMigrationError.failed(migration.name, error.message)
            }
            if appliedHere { ran.append(migration.name) }
        }
        return ran
    }
}

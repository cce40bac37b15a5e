import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Used by one thread at a time: the database's writer lock or its reader pool hands it out, which is
/// what makes the `@unchecked Sendable` sound.
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    let readOnly: Bool

    /// SQLite copies bound text and blobs at once with this destructor value.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Process-wide settings, made before the first connection initializes SQLite.
    private static let configured: Void = {
        // No memory statistics: Debian's library counts every allocation under a global mutex (two lock
        // calls per `sqlite3_malloc`), and nothing here reads them.
        _ = ozzi_sqlite3_config_int(SQLITE_CONFIG_MEMSTATUS, 0)
        // A statement that may fail halfway inside a transaction (many rows under a UNIQUE index) journals the
        // pages it changes, to undo itself alone; past 64 KiB by default that journal moves to a temporary
        // file and each page becomes a `pwrite` (4% of a campaign email's CPU). 16 MiB: a batch of hundreds of
        // rows stays in memory; a statement rewriting a whole campaign's messages may still spill.
        _ = ozzi_sqlite3_config_int(SQLITE_CONFIG_STMTJRNL_SPILL, 16 << 20)
    }()

    init(path: String, readOnly: Bool) throws {
        Self.configured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLError(code: rc, extendedCode: rc, message: message, sql: "open \(path)")
        }
        handle = db
        self.readOnly = readOnly
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5_000)
        if !readOnly {
            // WAL: readers never block the writer or each other; NORMAL sync survives a killed process.
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = NORMAL")
            // Bulk writes (imports) rewrite the same index pages again and again: a larger page cache
            // keeps them in memory, and rarer checkpoints copy each page from the WAL fewer times.
            try execute("PRAGMA cache_size = -32768")
            try execute("PRAGMA wal_autocheckpoint = 16000")
        }
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs SQL text that may hold several statements (migrations, pragmas); no parameters.
    func execute(_ sql: String) throws {
        let profile = SQLStatementProfile.shared.enabled ? SQLStatementProfile.cpuNow() : 0
        defer { if profile > 0 { SQLStatementProfile.shared.add(sql, file: fileName, since: profile) } }
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLError(code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// The database's file name, for `SQLStatementProfile`.
    private var fileName: String {
        sqlite3_db_filename(handle, "main").map { String(cString: $0).split(separator: "/").last.map(String.init) ?? "" } ?? ""
    }

    /// Whether `sql` only reads (a reader connection may run it).
    func isReadOnly(_ sql: String) throws -> Bool {
        sqlite3_stmt_readonly(try prepare(sql)) != 0
    }

    /// Runs one statement with `values`; returns its rows and what it changed.
    func run(_ sql: String, _ values: [SQLValue]) throws -> SQLResult {
        let profile = SQLStatementProfile.shared.enabled ? SQLStatementProfile.cpuNow() : 0
        defer { if profile > 0 { SQLStatementProfile.shared.add(sql, file: fileName, since: profile) } }
        let statement = try prepare(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let parameters = Int(sqlite3_bind_parameter_count(statement))
        guard parameters == values.count else {
            throw SQLError(code: SQLITE_RANGE, extendedCode: SQLITE_RANGE,
                           message: "statement has \(parameters) parameters, \(values.count) values were bound", sql: sql)
        }
        for (index, value) in values.enumerated() {
            let i = Int32(index + 1)
            let rc: Int32 = switch value {
            case .null: sqlite3_bind_null(statement, i)
            case .integer(let v): sqlite3_bind_int64(statement, i, v)
            case .real(let v): sqlite3_bind_double(statement, i, v)
            // The string's own UTF-8, with its length: passing the String made a C copy of it (and SQLite
            // measured it again), 1% of a campaign's CPU. An empty string still binds '' (not a null pointer,
            // which binds NULL).
            case .text(var v):
                v.withUTF8 { utf8 in
                    sqlite3_bind_text(statement, i, UnsafeRawPointer(utf8.baseAddress ?? StaticString("").utf8Start).assumingMemoryBound(to: CChar.self),
                                      Int32(utf8.count), Self.transient)
                }
            case .blob(let v): v.withUnsafeBytes { sqlite3_bind_blob(statement, i, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            if rc != SQLITE_OK { throw error(rc, sql) }
        }
        var columns: [String]?
        var rows: [SQLRow] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql) }
            let count = Int(sqlite3_column_count(statement))
            if columns == nil { columns = (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) } }
            var values: [SQLValue] = []
            values.reserveCapacity(count)
            for column in 0..<Int32(count) { values.append(Self.value(statement, column)) }
            rows.append(SQLRow(columns: columns!, values: values))
        }
        return SQLResult(changes: Int(sqlite3_changes(handle)), lastInsertRowID: sqlite3_last_insert_rowid(handle), rows: rows)
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql) }
        // Generated SQL (IN lists of varying length) must not grow the cache without bound.
        if statements.count >= 256 {
            for cached in statements.values { sqlite3_finalize(cached) }
            statements.removeAll()
        }
        statements[sql] = statement
        return statement
    }

    private func error(_ rc: Int32, _ sql: String) -> SQLError {
        SQLError(code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle),
                 message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    func begin() throws { try execute("BEGIN IMMEDIATE") }
    func commit() throws { try execute("COMMIT") }
    func rollback() { try? execute("ROLLBACK") }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }
}

import CLibPQ
import Glibc
import CSQLite

/// One libpq connection, its `search_path` set to the worker's schema.
///
/// Used by one thread at a time: the pool hands it out, which is what makes the `@unchecked Sendable`
/// sound. Every call blocks that (blocking-pool) thread until the server answers.
final class PostgresConnection: SQLConnection, @unchecked Sendable {
    /// The libpq connection; used by the owning thread only (see `PostgresConnection+Notifications`).
    let handle: OpaquePointer

    /// Connects to `url`; an unreachable server is an error naming the URL with its password masked.
    init(url: String, schema: String?) throws {
        let connection = Self.connect(url)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            let shown = PostgresURL.masked(url)
            // 08001: the client could not establish the connection (a 503 while it lasts, see `BackendFailure`).
            throw SQLError(code: SQLITE_CANTOPEN, extendedCode: SQLITE_CANTOPEN,
                           message: "cannot connect to \(shown): \(reason.trimmingTrailingNewlines)", sql: "connect \(shown)",
                           sqlState: "08001")
        }
        handle = connection
        // `CREATE SCHEMA IF NOT EXISTS` and friends send NOTICEs, which libpq prints to stderr by default.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        if let schema {
            let name = Self.identifier(schema)
            do {
                try execute("CREATE SCHEMA IF NOT EXISTS \(name)")
            } catch let error as SQLError where error.sqlState == "23505" || error.sqlState == "42P06" {
                // Another connection created it at the same moment: what we wanted.
            }
            try execute("SET search_path TO \(name)")
        }
    }

    deinit {
        PQfinish(handle)
    }

    /// `PQconnectdb` with a 5-second connect timeout unless the URL sets `connect_timeout`: libpq's
    /// default waits as long as TCP does (minutes) for a host that drops packets, and a request or health
    /// check waiting on it should fail over to a 503 instead.
    private static func connect(_ url: String) -> OpaquePointer? {
        let keywords = ["connect_timeout", "dbname"], values = ["5", url]
        let cKeywords = keywords.map { strdup($0) }, cValues = values.map { strdup($0) }
        defer { (cKeywords + cValues).forEach { free($0) } }
        // The URL is expanded where `dbname` stands, so its own parameters override the default before it.
        return (cKeywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { k in
            (cValues.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
    }

    /// False once the server closed the connection or it broke.
    var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Whether the pool may hand it to the next caller: open, and in no transaction (one whose ROLLBACK
    /// failed would otherwise leak into someone else's statements). Otherwise the pool opens a new one.
    var isReusable: Bool { isOpen && PQtransactionStatus(handle) == PQTRANS_IDLE }

    func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    func run(_ sql: String, _ values: [SQLValue]) throws -> SQLResult {
        let (text, count) = PostgresPlaceholders.translate(sql)
        guard count == values.count else {
            throw SQLError(code: SQLITE_RANGE, extendedCode: SQLITE_RANGE,
                           message: "statement has \(count) parameters, \(values.count) values were bound", sql: sql)
        }
        let parameters = PostgresParameters(values)
        let result = parameters.withPointers { types, pointers, lengths, formats in
            // Text results: numbers and timestamps arrive as PostgreSQL prints them, read by column type.
            PQexecParams(handle, text, Int32(values.count), types, pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql)
        return SQLResult(changes: Int(String(cString: PQcmdTuples(result))) ?? 0,
                         lastInsertRowID: 0, rows: PostgresResultRows.rows(result!))
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK, status != PGRES_EMPTY_QUERY else { return }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let message = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
            ?? String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
        throw PostgresError.error(sqlState: state, message: message, sql: sql, connectionLost: !isOpen)
    }

    /// A quoted identifier: `"name"`, with inner quotes doubled.
    static func identifier(_ name: String) -> String {
        "\"" + name.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}

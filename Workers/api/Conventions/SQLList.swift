import OzziRuntime

/// Many values bound as one: a JSON array that SQL unpacks with `SQLDialect.elements()` or `.records()`
/// (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL), so an operation on a list of ids is one
/// statement (`... IN (SELECT value FROM \(tx.dialect.elements()))`) however long the list. One statement
/// per id would cost a round through SQLite each, and, on tables with an FTS5 index kept by triggers, an
/// index flush each (FTS5 flushes at every statement boundary).
enum SQLList {
    static func json(_ values: [JSONValue]) -> String {
        String(decoding: JSONValue.array(values).jsonBytes, as: UTF8.self)
    }

    static func json(_ ids: [String]) -> String {
        json(ids.map(JSONValue.string))
    }
}

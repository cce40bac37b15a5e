/// The engine behind an `SQLDatabase`, and the few SQL fragments that engines spell differently.
///
/// Statements are written once in the SQL both engines share; where they truly differ (unpacking a JSON
/// array bound as one parameter, merging JSON objects) a fragment from here stands in, so the statement
/// still reads the same for both.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A table of the elements of the JSON array `array` (a `?` bound to JSON text, or a column), one row
    /// each, in a text column `value`: `id IN (SELECT value FROM \(dialect.elements()))`.
    public func elements(_ array: String = "?") -> String {
        switch self {
        case .sqlite: "json_each(\(array))"
        case .postgres: "jsonb_array_elements_text(CAST(\(array) AS jsonb))"
        }
    }

    /// A table of the elements of the JSON array `array`, one row each, in a JSON column `value` whose
    /// parts read as text with `value ->> 'key'` or `value ->> 0`. Cast a part that fills a number column.
    public func records(_ array: String = "?") -> String {
        switch self {
        case .sqlite: "json_each(\(array))"
        case .postgres: "jsonb_array_elements(CAST(\(array) AS jsonb))"
        }
    }

    /// The JSON object text `base` with the keys of the JSON object text `patch` set over it (RFC 7396
    /// merge for flat objects: a null in `patch` removes the key).
    public func jsonMerge(_ base: String, _ patch: String) -> String {
        switch self {
        case .sqlite: "json_patch(\(base), \(patch))"
        case .postgres: "CAST(jsonb_strip_nulls(CAST(\(base) AS jsonb) || CAST(\(patch) AS jsonb)) AS text)"
        }
    }

    /// The value at key `key` (an SQL expression such as `?`) of the JSON object text `object`, as text:
    /// strings as they are, numbers and nested values as their JSON text; NULL when the key is missing.
    public func jsonText(_ object: String, key: String) -> String {
        switch self {
        case .sqlite: "CAST(json_extract(\(object), '$.\"' || \(key) || '\"') AS TEXT)"
        case .postgres: "(CAST(\(object) AS jsonb) ->> \(key))"
        }
    }
}

import OzziRuntime

/// The one rule all text the api takes in obeys, on either engine: no U+0000 (NUL).
///
/// PostgreSQL's `text` cannot hold a NUL: the write fails (a 500) where SQLite stores it, so the two engines
/// would answer the same request differently. No one types a NUL either: it comes from a bug or a fuzzer. It is
/// refused where each kind of input is first read, before a handler runs, with a 422 naming the field:
/// JSON bodies' strings and keys (`JSONBody.parse`), form bodies, query strings and path parameters
/// (`APIOperation.checked`), and CSV uploads (`NULFreeChunks`, a 400 naming the line). Header values never
/// hold one: the HTTP parser refuses control bytes there. The document states the rule (`OpenAPIDocument`).
///
/// Other control characters are let through. Tab, line feed and carriage return are ordinary in message
/// bodies and notes; the rest (U+0001-U+001F, U+007F) both engines store, JSON escapes on the way out, and
/// a caller's system may well have produced them: refusing them would make no engine agree any better.
enum TextInput {
    static let rule = "must not contain U+0000 (NUL)"

    static func hasNUL(_ text: some StringProtocol) -> Bool {
        text.utf8.contains(0)
    }

    /// A 422 for the first string or key in `value` that holds a NUL, named by its path as the schema
    /// validator names fields (`contacts[2].name`; a key by the object holding it).
    static func check(_ value: JSONValue, at path: String = "") throws(APIError) {
        switch value {
        case .string(let text):
            if hasNUL(text) { throw APIError.invalidField(path.isEmpty ? "body" : path, rule) }
        case .array(let items):
            for (index, item) in items.enumerated() { try check(item, at: "\(path)[\(index)]") }
        case .object(let fields):
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                if hasNUL(key) { throw APIError.invalidField(path.isEmpty ? "body" : path, "has a key that \(rule)") }
                try check(field, at: Schema.join(path, key))
            }
        case .null, .bool, .number:
            return
        }
    }

    /// A 422 for the first decoded name or value of a form body or query string (`source`) that holds a NUL.
    static func check(_ pairs: [(String, String)], in source: String) throws(APIError) {
        for (name, value) in pairs {
            if hasNUL(name) { throw APIError.invalidField(source, "has a field name that \(rule)") }
            if hasNUL(value) { throw APIError.invalidField(name, rule) }
        }
    }
}

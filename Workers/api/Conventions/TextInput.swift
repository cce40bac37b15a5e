import Glibc
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
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let start = bytes.baseAddress, bytes.count > 0 else { return false }
            return memchr(start, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }

    /// A 422 for the first string or key in `value` that holds a NUL, named by its path as the schema
    /// validator names fields (`contacts[2].name`; a key by the object holding it). Every JSON body passes
    /// here and almost none holds a NUL: a plain scan first, the ordered walk that names the place only then.
    static func check(_ value: JSONValue, at path: String = "") throws(APIError) {
        guard holdsNUL(value) else { return }
        try locate(value, at: path)
    }

    private static func holdsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): hasNUL(text)
        case .array(let items): items.contains(where: holdsNUL)
        case .object(let fields): fields.contains { hasNUL($0.key) || holdsNUL($0.value) }
        case .null, .bool, .number: false
        }
    }

    private static func locate(_ value: JSONValue, at path: String) throws(APIError) {
        switch value {
        case .string(let text):
            if hasNUL(text) { throw APIError.invalidField(path.isEmpty ? "body" : path, rule) }
        case .array(let items):
            for (index, item) in items.enumerated() { try locate(item, at: "\(path)[\(index)]") }
        case .object(let fields):
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                if hasNUL(key) { throw APIError.invalidField(path.isEmpty ? "body" : path, "has a key that \(rule)") }
                try locate(field, at: Schema.join(path, key))
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

/// The opaque cursor KV and bucket listings hand out: the last key returned, base64-encoded.
enum ListCursor {
    static func encode(after key: String) -> String {
        Base64.encode(Array(key.utf8))
    }

    /// The key a cursor resumes after; nil when it is not a cursor this host issued.
    static func decode(_ cursor: String) -> String? {
        Base64.decode(cursor).map { String(decoding: $0, as: UTF8.self) }
    }
}

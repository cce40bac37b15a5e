import OzziRuntime

/// Where a list left off: the last row's sort key, handed to clients as an opaque token (base64url) and
/// read back from `?cursor=`. A key of several parts (a timestamp and an id) joins them with U+001F.
struct Cursor: Equatable {
    let key: String

    init(key: String) {
        self.key = key
    }

    init(_ parts: String...) {
        key = parts.joined(separator: "\u{1F}")
    }

    /// A token this API issued; anything else is a 422 naming `cursor`.
    init(token: String) throws {
        guard let bytes = Base64URL.decode(token), let key = String(validating: bytes, as: UTF8.self) else {
            throw APIError.invalidField("cursor", "is not a cursor this API issued")
        }
        self.key = key
    }

    var parts: [String] { key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }

    var token: String { Base64URL.encode(Array(key.utf8)) }
}

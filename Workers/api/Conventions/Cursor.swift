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

    /// The token's shape, as the document states it: unpadded base64url.
    static let pattern = "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$"

    /// Any token of the documented shape reads as a position in the list (one this API did not issue
    /// just starts somewhere); any other is a 422 naming `cursor`.
    init(token: String) throws {
        guard !token.isEmpty, let bytes = Base64URL.decode(token) else {
            throw APIError.invalidField("cursor", "is not a cursor this API issued")
        }
        key = String(decoding: bytes, as: UTF8.self)
    }

    var parts: [String] { key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }

    var token: String { Base64URL.encode(Array(key.utf8)) }
}

import OzziRuntime

/// Object ids: a type prefix and 100 random bits in lower-case base 32 (`usr_...`, `wsp_...`).
enum ResourceID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static func make(_ prefix: String) -> String {
        let bytes = Crypto.randomBytes(20)
        return prefix + "_" + String(decoding: bytes.map { alphabet[Int($0 & 31)] }, as: UTF8.self)
    }
}

import FoundationEssentials
import OzziRuntime

/// Object ids: a type prefix, then 26 lower-case base-32 characters — the creation time in milliseconds
/// (10 characters) followed by 80 random bits (16), like a ULID (`usr_...`, `con_...`).
/// Time first means ids created together sort together: a bulk import appends to the end of the id index
/// instead of touching a random page of it per row, and ids order roughly by creation.
enum ResourceID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static func make(_ prefix: String) -> String {
        var characters = [UInt8](repeating: 0, count: 26)
        var millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(millis & 31)]
            millis >>= 5
        }
        let random = Crypto.randomBytes(16)
        for index in 0..<16 {
            characters[10 + index] = alphabet[Int(random[index] & 31)]
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }
}

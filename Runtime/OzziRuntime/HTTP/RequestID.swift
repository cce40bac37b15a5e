import COpenSSL
import Synchronization

/// Request ids: a per-process random prefix and a counter, cheap enough for every request and unique
/// across restarts in practice (the prefix carries 64 random bits).
public enum RequestID {
    private static let prefix: String = {
        var seed: UInt64 = 0
        withUnsafeMutableBytes(of: &seed) { _ = RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 8) }
        return String(seed, radix: 16).leftPadded(to: 16)
    }()
    private static let counter = Atomic<UInt64>(0)

    private static let prefixBytes = Array(prefix.utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// 24 hex digits: the process prefix, then the counter. Formatted in place; this runs per request.
    public static func next() -> String {
        var n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 24) { buffer in
            for i in 0..<16 { buffer[i] = prefixBytes[i] }
            for i in stride(from: 23, through: 16, by: -1) {
                buffer[i] = hexDigits[Int(n & 0xF)]
                n >>= 4
            }
            return 24
        }
    }

    /// An incoming `X-Request-Id` is kept when it is short and plain, so ids follow a call across services.
    static func accept(_ incoming: String?) -> String? {
        guard let incoming, (1...128).contains(incoming.utf8.count),
              incoming.utf8.allSatisfy({ HTTPToken.isTokenByte($0) }) else { return nil }
        return incoming
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

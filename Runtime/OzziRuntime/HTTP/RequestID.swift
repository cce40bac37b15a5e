import COpenSSL
import Synchronization

/// Request ids: 15 characters, so Swift keeps them inline with no allocation — 6 characters of process
/// randomness (30 bits) and 9 of counter (45 bits), in lower-case base 32.
public enum RequestID {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuv".utf8)
    private static let prefix: UInt64 = {
        var seed: UInt64 = 0
        withUnsafeMutableBytes(of: &seed) { _ = RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 8) }
        return seed & (1 << 30 - 1)
    }()
    private static let counter = Atomic<UInt64>(0)

    public static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 15) { buffer in
            var high = prefix, low = n
            for i in stride(from: 5, through: 0, by: -1) {
                buffer[i] = alphabet[Int(high & 31)]
                high >>= 5
            }
            for i in stride(from: 14, through: 6, by: -1) {
                buffer[i] = alphabet[Int(low & 31)]
                low >>= 5
            }
            return 15
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

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

    public static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + String(n, radix: 16).leftPadded(to: 8)
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

import Glibc
import Synchronization

/// Wall-clock timestamps for log lines, with the formatted second cached (formatting dominates otherwise).
enum LogClock {
    private static let cache = Mutex<(second: Int, text: [UInt8])>((-1, []))

    /// Appends `2026-11-21T05:37:25.421Z`.
    static func appendISO8601(to line: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let second = Int(ts.tv_sec)
        let prefix = cache.withLock { cached -> [UInt8] in
            if cached.second != second { cached = (second, format(second)) }
            return cached.text
        }
        line.append(contentsOf: prefix)
        let millis = Int(ts.tv_nsec / 1_000_000)
        line.append(UInt8(ascii: "."))
        line.append(UInt8(ascii: "0") + UInt8(millis / 100))
        line.append(UInt8(ascii: "0") + UInt8(millis / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(millis % 10))
        line.append(UInt8(ascii: "Z"))
    }

    private static func format(_ second: Int) -> [UInt8] {
        var t = time_t(second)
        var parts = tm()
        gmtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        return buffer[0..<n].map { UInt8(bitPattern: $0) }
    }

    static func iso8601() -> String {
        var bytes: [UInt8] = []
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `05:37:25.421` for dev logs.
    static func time() -> String {
        String(iso8601().dropFirst(11).dropLast())
    }
}

import FoundationEssentials
import Glibc
import Logging

/// One JSON object per line on stderr: what `ozzi serve` writes for log collectors.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        if let extra = event.metadata { for (key, value) in extra { fields[key] = "\(value)" } }
        var line = "{\"ts\":\(JSONLogHandler.quote(LogClock.iso8601()))"
        line += ",\"level\":\"\(event.level)\",\"logger\":\(JSONLogHandler.quote(label)),\"msg\":\(JSONLogHandler.quote("\(event.message)"))"
        for key in fields.keys.sorted() {
            line += ",\(JSONLogHandler.quote(key)):\(JSONLogHandler.quote(fields[key]!))"
        }
        line += "}\n"
        LogOutput.write(line)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Serialises log lines onto stderr: one `write` per line, so lines from different loops never interleave.
public enum LogOutput {
    public static func write(_ line: String) {
        var line = line
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }
}

/// Wall-clock timestamps for log lines.
enum LogClock {
    static func iso8601() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let base = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return base + "." + String(ts.tv_nsec / 1_000_000).leftPadded(to: 3) + "Z"
    }

    static func time() -> String {
        String(iso8601().dropFirst(11).dropLast())
    }
}

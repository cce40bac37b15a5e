import Glibc
import Logging

/// One log record per line on stderr: JSON objects for `ozzi serve` (log collectors), readable
/// `time LEVEL message key=value` lines for `ozzi dev`.
///
/// Access logs go through here for every request, so a line is built straight into bytes: no
/// intermediate dictionary, escaping only where a byte needs it, the timestamp's seconds cached.
public struct LineLogHandler: LogHandler {
    public enum Format: Sendable {
        case json
        case human
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format

    public init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        switch format {
        case .json: LogOutput.write(json(event))
        case .human: LogOutput.write(human(event))
        }
    }

    private func human(_ event: LogEvent) -> String {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let pairs = fields.keys.sorted().map { "\($0)=\(fields[$0]!)" }.joined(separator: " ")
        let level = event.level.rawValue.uppercased()
        let padded = level + String(repeating: " ", count: max(0, 8 - level.count))
        return "\(LogClock.time()) \(padded) \(event.message)\(pairs.isEmpty ? "" : "  " + pairs)\n"
    }

    private func json(_ event: LogEvent) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line.append(contentsOf: #"{"ts":""#.utf8)
        LogClock.appendISO8601(to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: #"","logger":"#.utf8)
        LineLogHandler.appendQuoted(label, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        LineLogHandler.appendQuoted(event.message.description, to: &line)
        let extra = event.metadata ?? [:]
        for (key, value) in metadata where extra[key] == nil {
            LineLogHandler.appendField(key, value, to: &line)
        }
        for (key, value) in extra {
            LineLogHandler.appendField(key, value, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    private static func appendField(_ key: String, _ value: Logger.MetadataValue, to line: inout [UInt8]) {
        line.append(UInt8(ascii: ","))
        appendQuoted(key, to: &line)
        line.append(UInt8(ascii: ":"))
        switch value {
        case .string(let text): appendQuoted(text, to: &line)
        case .stringConvertible(let value): appendQuoted(value.description, to: &line)
        default: appendQuoted(value.description, to: &line)
        }
    }

    static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        JSONValue.writeString(text, to: &line)
    }
}

/// Log lines go to stderr with one `write` each, so lines from different loops never interleave.
public enum LogOutput {
    public static func write(_ line: String) {
        var line = line
        line.withUTF8 { write($0) }
    }

    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    public static func write(_ buffer: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

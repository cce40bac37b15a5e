import Logging

/// Human-readable lines for `ozzi dev`: time, level, message, then `key=value` pairs.
public struct DevLogHandler: LogHandler {
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
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let pairs = fields.keys.sorted().map { "\($0)=\(fields[$0]!)" }.joined(separator: " ")
        let level = "\(event.level)".uppercased().padding(to: 8)
        LogOutput.write("\(LogClock.time()) \(level) \(event.message)\(pairs.isEmpty ? "" : "  " + pairs)\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

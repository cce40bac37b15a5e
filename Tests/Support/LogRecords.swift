import Logging
import Synchronization

/// A host's log records kept for a test to read: what was logged, at which level, with which metadata.
public final class LogRecords: Sendable {
    public struct Record: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    public init() {}

    public var all: [Record] { records.withLock { $0 } }

    func append(_ record: Record) {
        records.withLock { $0.append(record) }
    }

    public func handler() -> any LogHandler {
        Handler(records: self)
    }

    private struct Handler: LogHandler {
        let records: LogRecords
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            let all = metadata.merging(explicit ?? [:]) { $1 }
            records.append(Record(level: level, message: message.description, metadata: all.mapValues { "\($0)" }))
        }
    }
}

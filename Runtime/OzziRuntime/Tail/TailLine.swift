import Logging

/// One line of `ozzi tail`'s stream: a JSON object and a newline (NDJSON), with `type` saying which kind.
enum TailLine {
    /// A log record: `{"type":"log","ts":...,"level":...,"msg":...,"worker":...,...metadata}`.
    static func log(_ event: LogEvent, metadata: Logger.Metadata) -> [UInt8] {
        var fields: [String: JSONValue] = [:]
        for (key, value) in metadata { fields[key] = .string(value.description) }
        for (key, value) in event.metadata ?? [:] { fields[key] = .string(value.description) }
        fields["type"] = .string("log")
        fields["ts"] = .string(timestamp())
        fields["level"] = .string(event.level.rawValue)
        fields["msg"] = .string(event.message.description)
        return encode(fields)
    }

    /// A finished request, as the access log has it.
    static func request(_ record: AccessRecord) -> [UInt8] {
        encode([
            "type": .string("request"), "ts": .string(timestamp()), "worker": .string(record.worker ?? ""),
            "method": .string(record.method), "path": .string(record.path), "status": .number(Double(record.status)),
            "bytes": .number(Double(record.bytes)), "duration_ms": .number(Double(record.durationMicros) / 1000),
            "request_id": .string(record.requestID),
        ])
    }

    /// The first line: the client knows the stream is open before the worker logs anything.
    static func connected(worker: String) -> [UInt8] {
        encode(["type": .string("connected"), "ts": .string(timestamp()), "worker": .string(worker)])
    }

    /// Sent while the worker is quiet, so a client that went away is noticed; clients skip it.
    static func keepAlive() -> [UInt8] {
        encode(["type": .string("keepalive"), "ts": .string(timestamp())])
    }

    /// Lines the host dropped because this client read too slowly.
    static func dropped(_ count: Int) -> [UInt8] {
        encode(["type": .string("dropped"), "ts": .string(timestamp()), "lines": .number(Double(count))])
    }

    private static func timestamp() -> String {
        var bytes: [UInt8] = []
        LogClock.appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func encode(_ fields: [String: JSONValue]) -> [UInt8] {
        var line = JSONValue.object(fields).jsonBytes
        line.append(UInt8(ascii: "\n"))
        return line
    }
}

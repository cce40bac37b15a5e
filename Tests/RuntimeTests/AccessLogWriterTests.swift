import Dispatch
import Synchronization
import Testing
@testable import OzziRuntime

/// The access log writes off the request path, samples when asked, and drops (and counts) lines
/// rather than hold memory or requests when its output stalls.
@Suite struct AccessLogWriterTests {
    /// Collects what the writer thread outputs; `gate` holds the output closed until signalled.
    final class Sink: Sendable {
        let lines = Mutex<[String]>([])
        let gate: DispatchSemaphore?

        init(blocked: Bool = false) {
            gate = blocked ? DispatchSemaphore(value: 0) : nil
        }

        func write(_ buffer: UnsafeBufferPointer<UInt8>) {
            gate?.wait()
            gate?.signal()
            let text = String(decoding: buffer, as: UTF8.self)
            lines.withLock { $0 += text.split(separator: "\n").map(String.init) }
        }
    }

    static func record(_ n: Int, status: Int = 200) -> AccessRecord {
        AccessRecord(method: "GET", path: "/items/\(n)", status: status, bytes: 5, durationMicros: 1_234,
                     worker: "api", requestID: "req-\(n)", remoteAddress: "127.0.0.1:5000")
    }

    @Test func linesAreJSONWithTheOperatorsFields() async throws {
        let sink = Sink()
        let log = AccessLogWriter(format: .json) { sink.write($0) }
        log.record(Self.record(1))
        log.record(AccessRecord(method: "POST", path: "/say \"hi\"", status: 503, bytes: 0, durationMicros: 42, worker: nil,
                                requestID: "req-2", remoteAddress: "[::1]:80"))
        log.finish()
        let lines = sink.lines.withLock { $0 }
        #expect(lines.count == 2)
        let first = try JSONValue(jsonBytes: Array(lines[0].utf8))
        #expect(first["msg"] == "request")
        #expect(first["method"] == "GET")
        #expect(first["path"] == "/items/1")
        #expect(first["status"] == "200")
        #expect(first["bytes"] == "5")
        #expect(first["duration_ms"] == "1.234")
        #expect(first["worker"] == "api")
        #expect(first["request_id"] == "req-1")
        #expect(first["remote"] == "127.0.0.1:5000")
        #expect(first["ts"]?.stringValue?.hasSuffix("Z") == true)
        let second = try JSONValue(jsonBytes: Array(lines[1].utf8))
        #expect(second["path"] == "/say \"hi\"", "escaped, still one JSON object per line")
        #expect(second["duration_ms"] == "0.042")
        #expect(second["worker"] == "-")
    }

    @Test func samplingKeepsOneInNAndEveryServerError() async throws {
        let sink = Sink()
        let log = AccessLogWriter(format: .json, sampleEvery: 10) { sink.write($0) }
        for n in 0..<1000 { log.record(Self.record(n)) }
        for n in 0..<7 { log.record(Self.record(n, status: 502)) }
        log.finish()
        let lines = sink.lines.withLock { $0 }
        #expect(lines.filter { $0.contains(#""status":"200""#) }.count == 100)
        #expect(lines.filter { $0.contains(#""status":"502""#) }.count == 7)
    }

    @Test func aStalledOutputDropsAndCountsInsteadOfGrowing() async throws {
        let sink = Sink(blocked: true)
        let log = AccessLogWriter(format: .json, bufferBytes: 64 * 1024) { sink.write($0) }
        // The first line wakes the writer, which then blocks in the output with it: what follows queues.
        log.record(Self.record(0))
        for n in 1...5000 { log.record(Self.record(n)) }
        sink.gate?.signal()
        log.finish()
        let lines = sink.lines.withLock { $0 }
        let logged = lines.filter { $0.contains(#""msg":"request""#) }.count
        // One warning per writer cycle that saw drops: the writer may have woken more than once.
        let warnings = lines.filter { $0.contains("access log lines dropped") }
        let dropped = try warnings.map { Int(try JSONValue(jsonBytes: Array($0.utf8))["dropped"]?.stringValue ?? "") ?? 0 }.reduce(0, +)
        #expect(!warnings.isEmpty, "the drop is reported")
        #expect(logged < 5001, "the buffer is bounded (64 KiB of ~250-byte lines)")
        #expect(logged + dropped == 5001, "every line is either written or counted as dropped: \(logged) + \(dropped)")
    }
}

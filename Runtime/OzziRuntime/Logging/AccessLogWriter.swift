import Glibc
import Synchronization

/// The access log, off the request path: a request appends its line (built straight into bytes) to a
/// bounded buffer under a short lock; one thread of its own writes whole buffers to the output.
///
/// Logs must never be the reason the host falls over: when the output cannot keep up (a full pipe, a
/// slow disk) lines beyond `bufferBytes` are dropped and counted, and the writer says how many once it
/// catches up. Operators can also log a sample of successful requests (`sampleEvery`); errors (5xx)
/// are always logged.
public final class AccessLogWriter: @unchecked Sendable {
    // `pending`, `dropped`, `stopping` and `writing` are guarded by `mutex`; `spare` and `output` belong
    // to the writer thread. The thread holds the writer until `finish()`.
    private var pending: [UInt8] = []
    private var spare: [UInt8] = []
    private var dropped = 0
    private var stopping = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let idle = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var writing = false
    private let counter = Atomic<UInt64>(0)

    let format: LineLogHandler.Format
    let bufferBytes: Int
    let sampleEvery: UInt64
    private let output: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    /// `sampleEvery` = n logs one successful request in n; `output` receives whole buffers of lines.
    public init(format: LineLogHandler.Format, bufferBytes: Int = 4 * 1024 * 1024, sampleEvery: Int = 1,
                output: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void = LogOutput.write) {
        self.format = format
        self.bufferBytes = bufferBytes
        self.sampleEvery = UInt64(max(1, sampleEvery))
        self.output = output
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(idle, nil)
        pending.reserveCapacity(64 * 1024)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { arg in
            Unmanaged<AccessLogWriter>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, box)
        pthread_detach(thread)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(wake)
        pthread_cond_destroy(idle)
        mutex.deallocate()
        wake.deallocate()
        idle.deallocate()
    }

    /// Records one finished request (any thread).
    public func record(_ record: AccessRecord) {
        if record.status < 500, sampleEvery > 1,
           counter.wrappingAdd(1, ordering: .relaxed).oldValue % sampleEvery != 0 {
            return
        }
        var line: [UInt8] = []
        line.reserveCapacity(320)
        switch format {
        case .json: AccessLogWriter.appendJSON(record, to: &line)
        case .human: AccessLogWriter.appendHuman(record, to: &line)
        }
        append(line)
    }

    private func append(_ line: [UInt8]) {
        pthread_mutex_lock(mutex)
        if stopping {
            pthread_mutex_unlock(mutex)
            return
        }
        if pending.count + line.count > bufferBytes {
            dropped += 1
        } else {
            // The writer sleeps until a first line comes, then gathers until a batch fills or the line is
            // `AccessLogWriter.gatherMs` old: two signals per batch, not one per request.
            let before = pending.count
            pending.append(contentsOf: line)
            if before == 0 || (before < Self.batchBytes && pending.count >= Self.batchBytes) { pthread_cond_signal(wake) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Writes what is buffered, waits until it is out, and ends the writer thread (host shutdown).
    /// Lines recorded later are dropped.
    public func finish() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_signal(wake)
        while !pending.isEmpty || writing || dropped > 0 { pthread_cond_wait(idle, mutex) }
        pthread_mutex_unlock(mutex)
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            while pending.isEmpty, dropped == 0 {
                pthread_cond_broadcast(idle)
                if stopping {
                    pthread_mutex_unlock(mutex)
                    return
                }
                pthread_cond_wait(wake, mutex)
            }
            if !stopping, pending.count < Self.batchBytes { gather() }
            swap(&pending, &spare)
            let lost = dropped
            dropped = 0
            writing = true
            pthread_mutex_unlock(mutex)
            spare.withUnsafeBufferPointer { output($0) }
            if lost > 0 {
                var warning: [UInt8] = []
                AccessLogWriter.appendDropped(lost, format: format, to: &warning)
                warning.withUnsafeBufferPointer { output($0) }
            }
            spare.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
            writing = false
        }
    }

    /// Lines are written in batches of about this many bytes...
    static let batchBytes = 64 * 1024
    /// ... or once the oldest has waited this long.
    static let gatherMs = 100

    /// Waits (holding `mutex` between waits) until a batch fills, `gatherMs` pass, or the writer stops.
    private func gather() {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanos = Int(deadline.tv_nsec) + Self.gatherMs * 1_000_000
        deadline.tv_sec += nanos / 1_000_000_000
        deadline.tv_nsec = nanos % 1_000_000_000
        while !stopping, pending.count < Self.batchBytes {
            if pthread_cond_timedwait(wake, mutex, &deadline) == ETIMEDOUT { return }
        }
    }

    // MARK: - Lines

    /// The same fields and shape as the host's other JSON log lines (`LineLogHandler`).
    static func appendJSON(_ r: AccessRecord, to line: inout [UInt8]) {
        line.append(contentsOf: #"{"ts":""#.utf8)
        LogClock.appendISO8601(to: &line)
        line.append(contentsOf: #"","level":"info","logger":"ozzi","msg":"request","method":"#.utf8)
        JSONValue.writeString(r.method, to: &line)
        line.append(contentsOf: #","path":"#.utf8)
        JSONValue.writeString(r.path, to: &line)
        line.append(contentsOf: #","status":""#.utf8)
        appendDecimal(r.status, to: &line)
        line.append(contentsOf: #"","bytes":""#.utf8)
        appendDecimal(r.bytes, to: &line)
        line.append(contentsOf: #"","duration_ms":""#.utf8)
        appendMillis(r.durationMicros, to: &line)
        line.append(contentsOf: #"","worker":"#.utf8)
        JSONValue.writeString(r.worker ?? "-", to: &line)
        line.append(contentsOf: #","request_id":"#.utf8)
        JSONValue.writeString(r.requestID, to: &line)
        line.append(contentsOf: #","remote":"#.utf8)
        JSONValue.writeString(r.remoteAddress, to: &line)
        line.append(contentsOf: "}\n".utf8)
    }

    /// `ozzi dev`'s readable line: `time INFO     request  key=value ...`, keys sorted as `LineLogHandler` does.
    static func appendHuman(_ r: AccessRecord, to line: inout [UInt8]) {
        line.append(contentsOf: LogClock.time().utf8)
        line.append(contentsOf: " INFO     request  bytes=".utf8)
        appendDecimal(r.bytes, to: &line)
        line.append(contentsOf: " duration_ms=".utf8)
        appendMillis(r.durationMicros, to: &line)
        line.append(contentsOf: " method=\(r.method) path=\(r.path) remote=\(r.remoteAddress) request_id=\(r.requestID) status=".utf8)
        appendDecimal(r.status, to: &line)
        line.append(contentsOf: " worker=\(r.worker ?? "-")\n".utf8)
    }

    static func appendDropped(_ count: Int, format: LineLogHandler.Format, to line: inout [UInt8]) {
        switch format {
        case .json:
            line.append(contentsOf: #"{"ts":""#.utf8)
            LogClock.appendISO8601(to: &line)
            line.append(contentsOf: #"","level":"warning","logger":"ozzi","msg":"access log lines dropped: output too slow","dropped":""#.utf8)
            appendDecimal(count, to: &line)
            line.append(contentsOf: "\"}\n".utf8)
        case .human:
            line.append(contentsOf: "\(LogClock.time()) WARNING  access log lines dropped: output too slow  dropped=\(count)\n".utf8)
        }
    }

    static func appendDecimal(_ value: Int, to line: inout [UInt8]) {
        if value < 0 {
            line.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(-value), to: &line)
        } else {
            appendDecimal(UInt64(value), to: &line)
        }
    }

    static func appendDecimal(_ value: UInt64, to line: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &line) }
        line.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Microseconds as milliseconds with three decimals (`0.125`).
    static func appendMillis(_ micros: UInt64, to line: inout [UInt8]) {
        appendDecimal(micros / 1000, to: &line)
        line.append(UInt8(ascii: "."))
        let fraction = micros % 1000
        line.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        line.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }
}

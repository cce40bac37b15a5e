import OzziRuntime
import Synchronization

/// Reads a streamed response in-process, as a client reading the socket would: it keeps what is written
/// until the stream ends or the reader stops (`finish`), after which writes fail as on a closed connection.
final class ResponseBodyCollector: ResponseBodyWriter {
    private let state = Mutex<(bytes: [UInt8], finished: Bool)>(([], false))
    private let done: AsyncStream<Never>
    private let ending: AsyncStream<Never>.Continuation

    init() {
        (done, ending) = AsyncStream<Never>.makeStream()
    }

    func write(_ bytes: [UInt8]) async throws {
        try state.withLock { state in
            guard !state.finished else { throw ConnectionClosedError() }
            state.bytes += bytes
        }
    }

    /// Stops reading: later writes fail, and `finished()` returns.
    func finish() {
        state.withLock { $0.finished = true }
        ending.finish()
    }

    /// Waits until `finish()`; returns what was written before it.
    func finished() async -> [UInt8] {
        for await _ in done {}
        return state.withLock { $0.bytes }
    }

    /// Runs `produce` into a collector and returns what it wrote: all of it, or what came within `seconds`
    /// (a stream that does not end, such as server-sent events). The producer is cancelled, not awaited,
    /// once the reader stops, as a server's is when its client hangs up.
    static func collect(_ produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void, seconds: Double?) async -> [UInt8] {
        let collector = ResponseBodyCollector()
        let producer = Task {
            try? await produce(collector)
            collector.finish()
        }
        let timer = seconds.map { seconds in
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                collector.finish()
            }
        }
        let bytes = await collector.finished()
        producer.cancel()
        timer?.cancel()
        return bytes
    }
}

import Synchronization

/// A request body handed to the handler while it is still arriving: chunks in the order read.
///
/// The connection appends what the parser gives it on the loop; the handler takes chunks from any
/// thread. Above `highWater` buffered bytes the connection stops reading the socket (TCP pushes back on
/// the client) and the body timer pauses, since the wait is ours; once the consumer brings the buffer
/// below `lowWater`, `resume` asks the connection to read again. An error (timeout, over the limit, the
/// client gone) is thrown from `next()` after the chunks that arrived before it.
public final class RequestBodyStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var finished = false
        var failure: RequestBodyError?
        var waiter: CheckedContinuation<[UInt8]?, Error>?
        /// The producer stopped reading and waits for `resume`.
        var paused = false
    }

    private let state = Mutex(State())
    private let highWater: Int
    private let lowWater: Int
    /// Called (on the consumer's thread) when a paused producer may read again.
    private let resume: @Sendable () -> Void

    init(highWater: Int, lowWater: Int, resume: @escaping @Sendable () -> Void) {
        self.highWater = highWater
        self.lowWater = lowWater
        self.resume = resume
    }

    /// A body already in memory, as one chunk (requests that were buffered, or made in-process).
    public convenience init(bytes: [UInt8]) {
        self.init(highWater: .max, lowWater: 0, resume: {})
        if !bytes.isEmpty { _ = append(bytes) }
        finish()
    }

    // MARK: - Producer (the connection)

    /// Adds a chunk; returns true when the producer should stop reading until `resume`.
    func append(_ chunk: [UInt8]) -> Bool {
        let (waiter, pause) = state.withLock { state -> (CheckedContinuation<[UInt8]?, Error>?, Bool) in
            guard !state.finished, state.failure == nil else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.chunks.append(chunk)
            state.buffered += chunk.count
            if state.buffered > highWater { state.paused = true }
            return (nil, state.paused)
        }
        waiter?.resume(returning: chunk)
        return pause
    }

    /// The body ended.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, Error>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The body will not end well; the consumer gets `error` after the chunks already buffered.
    func fail(_ error: RequestBodyError) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, Error>? in
            guard !state.finished, state.failure == nil else { return nil }
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: error)
    }

    // MARK: - Consumer (the handler)

    /// The next chunk, nil at the end of the body; throws why the body could not be read to its end.
    public func next() async throws -> [UInt8]? {
        if let step = state.withLock({ take(&$0, orWait: nil) }) { return try deliver(step) }
        let step = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
            // The producer may have appended since the first look: look again before waiting.
            if let step = state.withLock({ take(&$0, orWait: continuation) }) {
                continuation.resume(with: Result { try deliver(step) })
            }
        }
        return step
    }

    private enum Step { case chunk([UInt8], resume: Bool), end, failed(RequestBodyError) }

    /// What the consumer gets now, or nil after registering `waiter` (when given) for the next event.
    private func take(_ state: inout State, orWait waiter: CheckedContinuation<[UInt8]?, Error>?) -> Step? {
        if state.head < state.chunks.count {
            let chunk = state.chunks[state.head]
            state.head += 1
            if state.head == state.chunks.count {
                state.chunks.removeAll(keepingCapacity: true)
                state.head = 0
            }
            state.buffered -= chunk.count
            let resume = state.paused && state.buffered < lowWater
            if resume { state.paused = false }
            return .chunk(chunk, resume: resume)
        }
        if let failure = state.failure { return .failed(failure) }
        if state.finished { return .end }
        if let waiter { state.waiter = waiter }
        return nil
    }

    private func deliver(_ step: Step) throws -> [UInt8]? {
        switch step {
        case .chunk(let chunk, let resume):
            if resume { self.resume() }
            return chunk
        case .end:
            return nil
        case .failed(let error):
            throw error
        }
    }

    /// Puts bytes already taken back in front of the rest (a handler that read ahead to parse a header,
    /// then hands the whole body on, as Node's `readable.unshift`).
    public func unshift(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            if state.head > 0 {
                state.head -= 1
                state.chunks[state.head] = bytes
            } else {
                state.chunks.insert(bytes, at: 0)
            }
            state.buffered += bytes.count
        }
    }

    /// The whole body, refusing it with 413 beyond `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await next() {
            guard bytes.count + chunk.count <= limit else { throw RequestBodyError.tooLarge(limit: limit) }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    public func makeAsyncIterator() -> Iterator { Iterator(stream: self) }

    /// Iterating continues where the stream is: two iterators share one body.
    public struct Iterator: AsyncIteratorProtocol {
        let stream: RequestBodyStream
        public mutating func next() async throws -> [UInt8]? { try await stream.next() }
    }
}

/// Why a streamed request body could not be read to its end.
public enum RequestBodyError: HTTPError, Equatable {
    case timedOut
    case tooLarge(limit: Int)
    case malformed(String)
    case clientGone

    public var status: Int {
        switch self {
        case .timedOut: 408
        case .tooLarge: 413
        case .malformed, .clientGone: 400
        }
    }

    public var code: String {
        switch self {
        case .timedOut: "request_timeout"
        case .tooLarge: "payload_too_large"
        case .malformed: "bad_request"
        case .clientGone: "incomplete_body"
        }
    }

    public var message: String {
        switch self {
        case .timedOut: "timed out waiting for the request body"
        case .tooLarge(let limit): "the request body is larger than this route accepts (\(limit) bytes)"
        case .malformed(let why): why
        case .clientGone: "the client closed the connection before the body ended"
        }
    }
}

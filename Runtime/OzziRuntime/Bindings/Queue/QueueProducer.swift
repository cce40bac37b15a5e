import FoundationEssentials

/// The producer side of a queue binding.
public protocol QueueProducer: Sendable {
    /// Accepts up to `OutgoingMessage.batchLimit` messages durably, together; each becomes deliverable
    /// after its delay.
    func sendBatch(_ messages: [OutgoingMessage]) async throws
}

extension QueueProducer {
    /// Sends any number of messages, a batch's worth at a time. Each batch is durable on its own: a
    /// failure part-way leaves the batches before it sent.
    public func sendAll(_ messages: [OutgoingMessage]) async throws {
        for start in stride(from: 0, to: messages.count, by: OutgoingMessage.batchLimit) {
            try await sendBatch(Array(messages[start..<min(start + OutgoingMessage.batchLimit, messages.count)]))
        }
    }

    public func send(_ body: JSONValue, delaySeconds: Double = 0) async throws {
        try await sendBatch([OutgoingMessage(body: body, delaySeconds: delaySeconds)])
    }

    public func send<T: Encodable>(encoding value: T, delaySeconds: Double = 0) async throws {
        let json = try JSONValue(jsonBytes: Array(try JSONCoding.encoder().encode(value)))
        try await send(json, delaySeconds: delaySeconds)
    }
}

public struct OutgoingMessage: Sendable {
    /// The most messages one `sendBatch` takes.
    public static let batchLimit = 100

    public var body: JSONValue
    public var delaySeconds: Double

    public init(body: JSONValue, delaySeconds: Double = 0) {
        self.body = body
        self.delaySeconds = delaySeconds
    }
}

public enum QueueError: HTTPError, Equatable {
    case tooManyMessages(Int)
    case messageTooLarge(Int)
    case invalidDelay(Double)
    case noConsumerHook(worker: String)

    public var status: Int { 400 }
    public var code: String { "queue_invalid" }

    public var message: String {
        switch self {
        case .tooManyMessages(let n): "a batch holds at most \(OutgoingMessage.batchLimit) messages; got \(n)"
        case .messageTooLarge(let n): "a message is at most 128 KiB of JSON; this one is \(n) bytes"
        case .invalidDelay(let d): "a delay is 0...43200 seconds; got \(d)"
        case .noConsumerHook(let worker): "worker '\(worker)' consumes a queue but does not implement queue(_:context:)"
        }
    }
}

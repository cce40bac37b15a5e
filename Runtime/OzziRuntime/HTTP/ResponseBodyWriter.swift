/// Where a streamed response body goes; `write` returns once the bytes are queued and the peer keeps up.
public protocol ResponseBodyWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}

extension ResponseBodyWriter {
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// The peer went away while a response was still being written.
public struct ConnectionClosedError: Error, Equatable {
    public init() {}
}

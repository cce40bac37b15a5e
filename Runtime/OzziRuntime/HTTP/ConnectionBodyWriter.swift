import Synchronization

/// The writer a streamed response gets: each `write` becomes one chunk on the connection.
final class ConnectionBodyWriter: ResponseBodyWriter {
    private let connection: HTTPConnection
    private let chunked: Bool
    private let written = Atomic<Int>(0)

    init(connection: HTTPConnection, chunked: Bool) {
        self.connection = connection
        self.chunked = chunked
    }

    var bytesWritten: Int { written.load(ordering: .relaxed) }

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }  // an empty chunk would end the body
        try await connection.writeBody(bytes, chunked: chunked)
        written.add(bytes.count, ordering: .relaxed)
    }
}

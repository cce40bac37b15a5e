import Glibc
import OzziRuntime

/// An uploaded text file's chunks, passed on as they arrive until one holds a NUL byte: then a 400 naming
/// the file's line (see `TextInput`). In UTF-8 a 0x00 byte is always U+0000, and a file full of them is
/// usually UTF-16, which the message names so the sender knows what to change.
struct NULFreeChunks<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == [UInt8] {
    let base: Base
    /// What the file is, for the message (`the CSV`), and the error's code (`invalid_csv`).
    let file: String
    let code: String

    init(_ base: Base, file: String, code: String) {
        self.base = base
        self.file = file
        self.code = code
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), file: file, code: code) }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let file: String
        let code: String
        /// Line feeds passed so far: the line a NUL is on is one more.
        var lineFeeds = 0

        mutating func next() async throws -> [UInt8]? {
            guard let chunk = try await base.next() else { return nil }
            // memchr, not a loop of closures: a 100,000-row import is megabytes of chunks.
            let (nul, feeds) = chunk.withUnsafeBytes { bytes -> (Int?, Int) in
                guard let start = bytes.baseAddress, !bytes.isEmpty else { return (nil, 0) }
                let nul = memchr(start, 0, bytes.count).map { start.distance(to: UnsafeRawPointer($0)) }
                let end = nul ?? bytes.count
                var feeds = 0, at = 0
                while at < end, let found = memchr(start + at, 0x0A, end - at) {
                    feeds += 1
                    at = start.distance(to: UnsafeRawPointer(found)) + 1
                }
                return (nul, feeds)
            }
            guard nul == nil else {
                throw APIError.badRequest("\(file) holds U+0000 (NUL) on line \(lineFeeds + feeds + 1), which no text field takes; send it as UTF-8 text",
                                          code: code)
            }
            lineFeeds += feeds
            return chunk
        }
    }
}

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
            if let nul = chunk.firstIndex(of: 0) {
                let line = lineFeeds + 1 + chunk[..<nul].count { $0 == 0x0A }
                throw APIError.badRequest("\(file) holds U+0000 (NUL) on line \(line), which no text field takes; send it as UTF-8 text",
                                          code: code)
            }
            lineFeeds += chunk.count { $0 == 0x0A }
            return chunk
        }
    }
}

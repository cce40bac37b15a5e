import OzziRuntime

/// A CSV stored in a bucket, read in ranges and parsed a range at a time, so an import holds one range
/// of the file (and its records) in memory rather than the whole of it. A record cut by a range boundary
/// is carried over and parsed with the next range.
struct CSVChunks {
    let bucket: any Bucket
    let key: String
    let size: Int
    let chunkBytes: Int
    static let chunkBytes = 4 * 1024 * 1024
    private var offset = 0
    private var carry: [UInt8] = []
    private var line = 1

    init(bucket: any Bucket, key: String, size: Int, chunkBytes: Int = Self.chunkBytes) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.chunkBytes = chunkBytes
    }

    /// The next range's whole records (blank lines included), or nil at the end of the file.
    mutating func next() async throws -> [CSVReader.Record]? {
        guard offset < size || !carry.isEmpty else { return nil }
        var bytes = carry
        if offset < size {
            guard let (_, chunk) = try await bucket.get(key, range: .offset(offset, length: chunkBytes)) else {
                throw APIError(status: 410, code: "file_gone", message: "the uploaded file is gone")
            }
            bytes += chunk
            offset += chunk.count
        }
        let final = offset >= size
        let (records, rest, nextLine) = try await BlockingPool.shared.run { [bytes, line] () -> ([CSVReader.Record], [UInt8], Int) in
            var reader = CSVReader(bytes, line: line)
            var records: [CSVReader.Record] = []
            var start = reader.index
            while let record = reader.next() {
                if !final && !reader.endedAtLineBreak {
                    return (records, Array(bytes[start...]), record.line)  // cut by the boundary: next time
                }
                records.append(record)
                start = reader.index
            }
            return (records, [], reader.line)
        }
        carry = rest
        line = nextLine
        return records
    }

    /// Line breaks in the file: an upper bound on its records, found without parsing.
    static func lineBreaks(bucket: any Bucket, key: String, size: Int) async throws -> Int {
        var count = 0, offset = 0
        while offset < size {
            guard let (_, chunk) = try await bucket.get(key, range: .offset(offset, length: chunkBytes)) else { break }
            count += try await BlockingPool.shared.run { chunk.withUnsafeBufferPointer { $0.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } } }
            offset += chunk.count
        }
        return count
    }
}

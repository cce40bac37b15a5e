import FoundationEssentials
import Glibc
import OzziRuntime

/// A job's own folder under the worker's data folder (`work/<job>`), where its bucket objects are copied for
/// ffmpeg to read and its outputs are written before they go to the bucket; removed when the job ends
/// (and, for jobs a crash cut short, when the worker starts).
struct WorkFolder: Sendable {
    let path: String
    let pool: BlockingPool

    static func root(_ dataDirectory: String) -> String { dataDirectory + "/work" }

    static func make(in dataDirectory: String, job: String, pool: BlockingPool = .shared) async throws -> WorkFolder {
        let path = root(dataDirectory) + "/" + job
        try await pool.run { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        return WorkFolder(path: path, pool: pool)
    }

    /// Leftovers of jobs a crash cut short.
    static func clear(_ dataDirectory: String) {
        try? FileManager.default.removeItem(atPath: root(dataDirectory))
    }

    /// Copies a bucket object into the folder, a few MiB at a time (a video is never held whole in memory).
    func copy(_ key: String, from bucket: any Bucket, as name: String) async throws -> String {
        guard let head = try await bucket.head(key) else { throw VideoError.missing("object \(key) in the bucket") }
        let file = path + "/" + name
        let fd = try await pool.run { () throws -> Int32 in
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw VideoError.missing("object \(key) (cannot write \(file): errno \(errno))") }
            return fd
        }
        do {
            var offset = 0
            while offset < head.size {
                guard let (_, bytes) = try await bucket.get(key, range: .offset(offset, length: min(Self.chunk, head.size - offset))), !bytes.isEmpty else {
                    throw VideoError.missing("object \(key) in the bucket")
                }
                try await pool.run { try Self.write(fd, bytes) }
                offset += bytes.count
            }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        return file
    }

    static let chunk = 8 << 20

    private static func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw VideoError.missing("a write failed: errno \(errno)") }
            written += count
        }
    }

    func write(_ name: String, _ contents: String) async throws {
        let file = name.hasPrefix("/") ? name : path + "/" + name
        try await pool.run { try Data(contents.utf8).write(to: URL(fileURLWithPath: file)) }
    }

    /// Puts a file of the folder into the bucket, streamed.
    func upload(_ name: String, to bucket: any Bucket, key: String, contentType: String) async throws -> BucketObject {
        let file = path + "/" + name
        let chunks = FileChunks(path: file, pool: pool)
        return try await bucket.put(key, chunks: chunks, options: BucketPutOptions(contentType: contentType))
    }

    func remove() async {
        try? await pool.run { [path] in try FileManager.default.removeItem(atPath: path) }
    }
}

/// A file's bytes as a stream of chunks, read off the loop.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let path: String
    let pool: BlockingPool

    func makeAsyncIterator() -> Iterator { Iterator(path: path, pool: pool) }

    final class Iterator: AsyncIteratorProtocol, @unchecked Sendable {
        // Used by one task at a time, the one iterating (an iterator is never shared).
        private let path: String
        private let pool: BlockingPool
        private var fd: Int32 = -1
        private var done = false

        init(path: String, pool: BlockingPool) {
            self.path = path
            self.pool = pool
        }

        deinit { if fd >= 0 { close(fd) } }

        func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            if fd < 0 {
                let path = path
                fd = try await pool.run { () throws -> Int32 in
                    let fd = open(path, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { throw VideoError.missing("\(path) (errno \(errno))") }
                    return fd
                }
            }
            let fd = fd
            let bytes = try await pool.run { () throws -> [UInt8] in
                var buffer = [UInt8](repeating: 0, count: WorkFolder.chunk)
                var count: Int
                repeat { count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) } } while count < 0 && errno == EINTR
                guard count >= 0 else { throw VideoError.missing("a read failed: errno \(errno)") }
                return Array(buffer[0..<count])
            }
            if bytes.isEmpty {
                done = true
                close(fd)
                self.fd = -1
                return nil
            }
            return bytes
        }
    }
}

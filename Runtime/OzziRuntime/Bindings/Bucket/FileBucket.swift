import COpenSSL
import FoundationEssentials
import Glibc

/// Objects as files under a folder, indexed in SQL: a SQLite file in the folder for one host, or a table
/// on the shared PostgreSQL when several hosts share the folder (a network filesystem).
///
/// A body is written to `tmp/`, fsynced and renamed into `blobs/` under a name of its own before the index
/// row points at it, so a crash leaves either the old object or the new one, never a torn one; two hosts
/// writing one key at once each write their own blob, and the index keeps the last committed. Leftovers
/// are removed at start-up: all of them on one host; on a shared folder only those older than a day, as
/// a younger one may be another host's write in progress.
public final class FileBucket: Bucket {
    private let root: String
    private let index: any SQLBlockingDatabase
    /// The index table: `objects` in the folder's own SQLite file, `ozzi_bucket_<name>` in a worker's schema.
    private let table: String
    private let pool: BlockingPool

    /// A bucket on one host: its index in `<directory>/index.sqlite`.
    public convenience init(directory: String, pool: BlockingPool = .shared) throws {
        try self.init(directory: directory, sharedIndex: nil, pool: pool)
    }

    /// A bucket whose folder several hosts share, its index in `sharedIndex` (a worker's PostgreSQL
    /// schema) under the bucket's `name`.
    public convenience init(directory: String, name: String, sharedIndex: PostgresDatabase, pool: BlockingPool = .shared) throws {
        try self.init(directory: directory, sharedIndex: (sharedIndex, name), pool: pool)
    }

    private init(directory: String, sharedIndex: (database: any SQLBlockingDatabase, name: String)?, pool: BlockingPool) throws {
        root = directory
        self.pool = pool
        for sub in ["", "/blobs", "/tmp"] { try WorkerHost.makeDirectory(directory + sub) }
        if let sharedIndex {
            index = sharedIndex.database
            table = PostgresConnection.identifier("ozzi_bucket_" + sharedIndex.name)
        } else {
            index = try SQLiteDatabase(path: directory + "/index.sqlite", pool: pool)
            table = "objects"
        }
        // Keys list in byte order on either engine (PostgreSQL's default collation would order by locale).
        let collation = sharedIndex == nil ? "" : #" COLLATE "C""#
        _ = try index.transactionNow { [table] tx in
            try tx.run("""
                CREATE TABLE IF NOT EXISTS \(table) (key TEXT\(collation) PRIMARY KEY, blob TEXT NOT NULL, size BIGINT NOT NULL,
                  etag TEXT NOT NULL, uploaded TEXT NOT NULL, content_type TEXT, custom_metadata TEXT NOT NULL)
                """)
        }
        try removeLeftovers(olderThanSeconds: sharedIndex == nil ? nil : 86_400)
    }

    public func put<Chunks: AsyncSequence & Sendable>(_ key: String, chunks: Chunks, options: BucketPutOptions) async throws -> BucketObject
        where Chunks.Element == [UInt8] {
        try Self.check(key)
        let metadata = String(decoding: try JSONCoding.encoder().encode(options.customMetadata), as: UTF8.self)
        let blob = UUID().uuidString.lowercased()
        let writer = try await pool.run { [root] in try BlobWriter(path: root + "/tmp/" + blob) }
        let size: Int, etag: String
        do {
            for try await chunk in chunks where !chunk.isEmpty {
                try await pool.run { try writer.write(chunk) }
            }
            (size, etag) = try await pool.run { [root] in try writer.finish(renamingTo: root + "/blobs/" + blob) }
        } catch {
            try? await pool.run { writer.abandon() }
            throw error
        }
        let object = BucketObject(key: key, size: size, etag: etag, uploaded: Date(), contentType: options.contentType,
                                  customMetadata: options.customMetadata)
        let replaced: String?
        do {
            replaced = try await index.transaction { [table] tx -> String? in
                let old = try tx.all("SELECT blob FROM \(table) WHERE key = ?", key).first?.text("blob")
                try tx.run("""
                    INSERT INTO \(table) (key, blob, size, etag, uploaded, content_type, custom_metadata) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag,
                      uploaded = excluded.uploaded, content_type = excluded.content_type, custom_metadata = excluded.custom_metadata
                    """, key, blob, size, etag, object.uploaded, options.contentType, metadata)
                return old
            }
        } catch {
            // No row points at the new blob (a host stopping closes the index under a put in flight).
            try? await removeBlobs([blob])
            throw error
        }
        // The object is stored: an old blob left behind is a leftover the next start-up removes, not a failed put.
        if let replaced { try? await removeBlobs([replaced]) }
        return object
    }

    public func head(_ key: String) async throws -> BucketObject? {
        try Self.check(key)
        return try await index.prepare("SELECT * FROM \(table) WHERE key = ?").bind(key).first().map(Self.object)
    }

    public func get(_ key: String, range: BucketRange?) async throws -> (BucketObject, [UInt8])? {
        try Self.check(key)
        var missing: String?
        while true {
            guard let row = try await index.prepare("SELECT * FROM \(table) WHERE key = ?").bind(key).first(),
                  let blob = row.text("blob") else { return nil }
            let object = Self.object(row)
            let (offset, length) = try Self.span(of: range, size: object.size)
            do {
                let bytes = try await pool.run { [root] in try Self.read(path: root + "/blobs/" + blob, offset: offset, length: length) }
                return (object, bytes)
            } catch let failure as POSIXFailure where failure.errno == ENOENT && blob != missing {
                // A put replacing the key removed the blob between the lookup and the open: read what the
                // index names now. Only a blob missing twice in a row is an error.
                missing = blob
            }
        }
    }

    /// The offset and length `range` reads of an object of `size` bytes (all of it when nil).
    private static func span(of range: BucketRange?, size: Int) throws -> (offset: Int, length: Int) {
        switch range {
        case nil: return (0, size)
        case .offset(let start, let count):
            guard start >= 0, start <= size, (count ?? 0) >= 0 else { throw BucketError.invalidRange }
            return (start, min(count ?? size - start, size - start))
        case .suffix(let count):
            guard count >= 0 else { throw BucketError.invalidRange }
            return (max(0, size - count), min(count, size))
        }
    }

    public func list(_ options: BucketListOptions) async throws -> BucketListResult {
        guard (1...1000).contains(options.limit) else { throw BucketError.limitOutOfRange(options.limit) }
        var after = ""
        if let cursor = options.cursor {
            guard let key = ListCursor.decode(cursor) else { throw BucketError.invalidCursor }
            after = key
        }
        let prefix = options.prefix ?? ""
        var objects: [BucketObject] = []
        var prefixes: [String] = []
        var truncated = false
        scan: while true {
            let rows = try await index.prepare("""
                SELECT * FROM \(table) WHERE key > ? AND key >= ? AND substr(key, 1, CAST(? AS INTEGER)) = ? ORDER BY key LIMIT 1000
                """).bind(after, prefix, prefix.unicodeScalars.count, prefix).all()
            if rows.isEmpty { break }
            for row in rows {
                let key = row.text("key") ?? ""
                if objects.count + prefixes.count == options.limit {
                    truncated = true
                    break scan
                }
                if let delimiter = options.delimiter, !delimiter.isEmpty,
                   let range = key.dropFirst(prefix.count).range(of: delimiter) {
                    let folded = String(key[..<range.upperBound])
                    prefixes.append(folded)
                    // Skip every key under the folded prefix: resume after its last possible key.
                    after = folded + "\u{10FFFF}"
                    continue scan
                }
                objects.append(Self.object(row))
                after = key
            }
            if rows.count < 1000 { break }
        }
        return BucketListResult(objects: objects, delimitedPrefixes: prefixes, truncated: truncated,
                                cursor: truncated ? ListCursor.encode(after: after) : nil)
    }

    public func delete(_ keys: [String]) async throws {
        for key in keys { try Self.check(key) }
        let blobs = try await index.transaction { [table] tx -> [String] in
            var blobs: [String] = []
            for key in keys {
                if let blob = try tx.all("SELECT blob FROM \(table) WHERE key = ?", key).first?.text("blob") { blobs.append(blob) }
                try tx.run("DELETE FROM \(table) WHERE key = ?", key)
            }
            return blobs
        }
        try await removeBlobs(blobs)
    }

    private func removeBlobs(_ blobs: [String]) async throws {
        try await pool.run { [root] in for blob in blobs { unlink(root + "/blobs/" + blob) } }
    }

    /// Temp files from interrupted puts, and blobs no index row points at (a crash between rename and
    /// commit); with `olderThanSeconds`, only files last written before then.
    private func removeLeftovers(olderThanSeconds: Int?) throws {
        let files = FileManager.default
        let cutoff = olderThanSeconds.map { time(nil) - $0 }
        func stale(_ path: String) -> Bool {
            guard let cutoff else { return true }
            var info = stat()
            return stat(path, &info) == 0 && info.st_mtim.tv_sec < cutoff
        }
        for name in (try? files.contentsOfDirectory(atPath: root + "/tmp")) ?? [] where stale(root + "/tmp/" + name) {
            unlink(root + "/tmp/" + name)
        }
        let referenced = Set(try index.executeNow("SELECT blob FROM \(table)", []).rows.compactMap { $0.text("blob") })
        for name in (try? files.contentsOfDirectory(atPath: root + "/blobs")) ?? [] where !referenced.contains(name) && stale(root + "/blobs/" + name) {
            unlink(root + "/blobs/" + name)
        }
    }

    private static func object(_ row: SQLRow) -> BucketObject {
        let metadata = row.text("custom_metadata").flatMap {
            try? JSONCoding.decoder().decode([String: String].self, from: Data($0.utf8))
        } ?? [:]
        return BucketObject(
            key: row.text("key") ?? "", size: Int(row.integer("size") ?? 0), etag: row.text("etag") ?? "",
            uploaded: row.text("uploaded").flatMap(SQLDate.parse) ?? Date(timeIntervalSince1970: 0),
            contentType: row.text("content_type"), customMetadata: metadata)
    }

    private static func check(_ key: String) throws {
        guard !key.isEmpty else { throw BucketError.invalidKey("empty") }
        guard key.utf8.count <= 1024 else { throw BucketError.invalidKey("longer than 1024 bytes") }
        guard !key.utf8.contains(0) else { throw BucketError.invalidKey("contains a NUL byte") }
    }

    private static func read(path: String, offset: Int, length: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXFailure(operation: "open \(path)") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, length - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw POSIXFailure(operation: "read \(path)") }
            done += n
        }
        return bytes
    }
}

/// One object body being written: a temp file and a running MD5. Used from one pool job at a time.
final class BlobWriter: @unchecked Sendable {
    private let path: String
    /// -1 once closed: a descriptor is closed exactly once, as its number is reused at once by whatever the
    /// process opens next (another host's connection, a database socket) and a second close would cut that.
    private(set) var fd: Int32
    private let md5: OpaquePointer
    private var size = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "create \(path)") }
        md5 = EVP_MD_CTX_new()
        EVP_DigestInit_ex(md5, EVP_md5(), nil)
    }

    deinit {
        closeFile()
        EVP_MD_CTX_free(md5)
    }

    func write(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw POSIXFailure(operation: "write \(path)") }
                done += n
            }
            EVP_DigestUpdate(md5, raw.baseAddress, raw.count)
        }
        size += chunk.count
    }

    /// Flushes to disk and moves the file to its final name; returns size and hex MD5.
    func finish(renamingTo destination: String) throws -> (Int, String) {
        guard fsync(fd) == 0 else { throw POSIXFailure(operation: "fsync \(path)") }
        closeFile()
        guard rename(path, destination) == 0 else { throw POSIXFailure(operation: "rename \(path)") }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(md5, &digest, &length)
        return (size, digest.prefix(Int(length)).map { String($0, radix: 16).leftPadded(to: 2) }.joined())
    }

    /// Gives up on the body: closes the file if it is still open and removes it (a put that failed before
    /// its blob was renamed into place).
    func abandon() {
        closeFile()
        unlink(path)
    }

    private func closeFile() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}

/// A failed system call, with errno's text.
public struct POSIXFailure: Error, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public init(operation: String) {
        self.operation = operation
        self.errno = Glibc.errno
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

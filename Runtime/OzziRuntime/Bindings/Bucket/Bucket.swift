import FoundationEssentials

/// The bucket binding (R2 semantics): objects by key with content type and custom metadata,
/// ranged reads, and listing by prefix with an optional delimiter.
public protocol Bucket: Sendable {
    /// Stores an object from a stream of chunks; nothing is visible until the whole body is on disk.
    func put<Chunks: AsyncSequence & Sendable>(_ key: String, chunks: Chunks, options: BucketPutOptions) async throws -> BucketObject
        where Chunks.Element == [UInt8]
    func get(_ key: String, range: BucketRange?) async throws -> (BucketObject, [UInt8])?
    func head(_ key: String) async throws -> BucketObject?
    func list(_ options: BucketListOptions) async throws -> BucketListResult
    func delete(_ keys: [String]) async throws
}

extension Bucket {
    @discardableResult
    public func put(_ key: String, _ bytes: [UInt8], options: BucketPutOptions = BucketPutOptions()) async throws -> BucketObject {
        try await put(key, chunks: SingleChunk(bytes: bytes), options: options)
    }

    public func get(_ key: String) async throws -> (BucketObject, [UInt8])? {
        try await get(key, range: nil)
    }

    public func delete(_ key: String) async throws {
        try await delete([key])
    }
}

public struct BucketObject: Sendable, Equatable {
    public let key: String
    public let size: Int
    /// Hex MD5 of the body, as R2 reports it.
    public let etag: String
    public let uploaded: Date
    public let contentType: String?
    public let customMetadata: [String: String]

    /// The etag quoted for an `ETag` header.
    public var httpEtag: String { "\"\(etag)\"" }
}

public struct BucketPutOptions: Sendable {
    public var contentType: String?
    public var customMetadata: [String: String]

    public init(contentType: String? = nil, customMetadata: [String: String] = [:]) {
        self.contentType = contentType
        self.customMetadata = customMetadata
    }
}

/// A byte range of an object: `offset` with an optional `length`, or the last `suffix` bytes.
public enum BucketRange: Sendable, Equatable {
    case offset(Int, length: Int?)
    case suffix(Int)
}

public struct BucketListOptions: Sendable {
    public var prefix: String?
    /// With "/", keys below the next "/" fold into `delimitedPrefixes` (a directory listing).
    public var delimiter: String?
    public var cursor: String?
    public var limit: Int

    public init(prefix: String? = nil, delimiter: String? = nil, cursor: String? = nil, limit: Int = 1000) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.cursor = cursor
        self.limit = limit
    }
}

public struct BucketListResult: Sendable, Equatable {
    public let objects: [BucketObject]
    public let delimitedPrefixes: [String]
    public let truncated: Bool
    public let cursor: String?
}

public enum BucketError: HTTPError, Equatable {
    case invalidKey(String)
    case invalidRange
    case limitOutOfRange(Int)
    case invalidCursor

    public var status: Int {
        if case .invalidRange = self { return 416 }
        return 400
    }

    public var code: String { "bucket_invalid" }

    public var message: String {
        switch self {
        case .invalidKey(let why): "invalid object key: \(why)"
        case .invalidRange: "the range is outside the object"
        case .limitOutOfRange(let n): "a bucket list limit is 1...1000; got \(n)"
        case .invalidCursor: "the list cursor is not one this bucket issued"
        }
    }
}

/// One buffer as a chunk sequence, for the non-streaming `put`.
struct SingleChunk: AsyncSequence, Sendable {
    let bytes: [UInt8]

    func makeAsyncIterator() -> Iterator { Iterator(bytes: bytes) }

    struct Iterator: AsyncIteratorProtocol {
        var bytes: [UInt8]?
        mutating func next() async -> [UInt8]? {
            defer { bytes = nil }
            return bytes
        }
    }
}

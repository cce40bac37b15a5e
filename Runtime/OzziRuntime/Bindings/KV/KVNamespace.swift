/// The KV binding (Cloudflare KV semantics): string keys, byte values, optional expiry and metadata.
/// Unlike Cloudflare, a worker reads its own writes at once.
public protocol KVNamespace: Sendable {
    func getWithMetadata(_ key: String) async throws -> KVEntry?
    func put(_ key: String, _ value: [UInt8], options: KVPutOptions) async throws
    func delete(_ key: String) async throws
    func list(_ options: KVListOptions) async throws -> KVListResult
    /// Deletes expired keys; returns how many. Expired keys are never returned before this runs either.
    func sweepExpired() async throws -> Int
}

extension KVNamespace {
    public func get(_ key: String) async throws -> [UInt8]? {
        try await getWithMetadata(key)?.value
    }

    public func getText(_ key: String) async throws -> String? {
        try await get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    public func put(_ key: String, _ text: String, options: KVPutOptions = KVPutOptions()) async throws {
        try await put(key, Array(text.utf8), options: options)
    }

    public func list(prefix: String? = nil, limit: Int = 1000, cursor: String? = nil) async throws -> KVListResult {
        try await list(KVListOptions(prefix: prefix, limit: limit, cursor: cursor))
    }
}

public struct KVEntry: Sendable, Equatable {
    public let value: [UInt8]
    public let metadata: JSONValue?
    /// Seconds since 1970 when the key expires, if it does.
    public let expiration: Int64?
}

public struct KVPutOptions: Sendable {
    /// Absolute expiry, seconds since 1970; at least 60 s ahead.
    public var expiration: Int64?
    /// Relative expiry in seconds; at least 60.
    public var expirationTtl: Int64?
    /// Up to 1 KiB of JSON kept beside the value.
    public var metadata: JSONValue?

    public init(expiration: Int64? = nil, expirationTtl: Int64? = nil, metadata: JSONValue? = nil) {
        self.expiration = expiration
        self.expirationTtl = expirationTtl
        self.metadata = metadata
    }
}

public struct KVListOptions: Sendable {
    public var prefix: String?
    public var limit: Int
    public var cursor: String?

    public init(prefix: String? = nil, limit: Int = 1000, cursor: String? = nil) {
        self.prefix = prefix
        self.limit = limit
        self.cursor = cursor
    }
}

public struct KVListResult: Sendable, Equatable {
    public struct Key: Sendable, Equatable {
        public let name: String
        public let expiration: Int64?
        public let metadata: JSONValue?
    }

    public let keys: [Key]
    public let listComplete: Bool
    /// Pass back as `cursor` for the next page; nil when `listComplete`.
    public let cursor: String?
}

/// A KV call outside Cloudflare's limits; the message names the limit.
public enum KVError: HTTPError, Equatable {
    case emptyKey
    case keyTooLong(bytes: Int)
    case valueTooLarge(bytes: Int)
    case metadataTooLarge(bytes: Int)
    case expirationTooSoon(seconds: Int64)
    case limitOutOfRange(Int)
    case invalidCursor

    public static let maxKeyBytes = 512
    public static let maxValueBytes = 25 * 1024 * 1024
    public static let maxMetadataBytes = 1024
    public static let minExpirationSeconds: Int64 = 60

    public var status: Int {
        if case .valueTooLarge = self { return 413 }
        return 400
    }

    public var code: String { "kv_invalid" }

    public var message: String {
        switch self {
        case .emptyKey: "a KV key must not be empty"
        case .keyTooLong(let n): "a KV key is at most \(KVError.maxKeyBytes) bytes; this one has \(n)"
        case .valueTooLarge(let n): "a KV value is at most 25 MiB; this one has \(n) bytes"
        case .metadataTooLarge(let n): "KV metadata is at most \(KVError.maxMetadataBytes) bytes of JSON; this is \(n)"
        case .expirationTooSoon(let s): "a KV expiration must be at least 60 seconds ahead; this one is \(s) s"
        case .limitOutOfRange(let n): "a KV list limit is 1...1000; got \(n)"
        case .invalidCursor: "the KV list cursor is not one this namespace issued"
        }
    }
}

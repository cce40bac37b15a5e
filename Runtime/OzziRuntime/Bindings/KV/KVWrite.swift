import FoundationEssentials

/// A `put` checked against KV's limits and ready to store, the same for every engine: its expiry as an
/// absolute time by the namespace's clock, its metadata as JSON text.
struct KVWrite {
    let key: String
    let value: [UInt8]
    /// Seconds since 1970.
    let expiration: Int64?
    let metadata: String?

    init(_ key: String, _ value: [UInt8], options: KVPutOptions, now: Int64) throws {
        try Self.check(key: key)
        guard value.count <= KVError.maxValueBytes else { throw KVError.valueTooLarge(bytes: value.count) }
        var expiration = options.expiration
        if let ttl = options.expirationTtl { expiration = now + ttl }
        if let expiration, expiration - now < KVError.minExpirationSeconds {
            throw KVError.expirationTooSoon(seconds: expiration - now)
        }
        var metadataText: String?
        if let metadata = options.metadata {
            let encoded = try JSONCoding.encoder().encode(metadata)
            guard encoded.count <= KVError.maxMetadataBytes else { throw KVError.metadataTooLarge(bytes: encoded.count) }
            metadataText = String(decoding: encoded, as: UTF8.self)
        }
        self.key = key
        self.value = value
        self.expiration = expiration
        metadata = metadataText
    }

    static func check(key: String) throws {
        let bytes = key.utf8.count
        guard bytes > 0 else { throw KVError.emptyKey }
        guard bytes <= KVError.maxKeyBytes else { throw KVError.keyTooLong(bytes: bytes) }
    }

    /// Stored metadata text back as JSON; nil when there is none.
    static func metadata(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONCoding.decoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
